import { afterAll, beforeAll } from 'vitest';
import { z } from 'zod';
import {
  type HubspotSimulatorOptions,
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../../simulators/hubspot/start-hubspot-simulator.js';

/** HubSpot's response shapes, strict where the contract is: parsing them is part of each test. */
export const RecordSchema = z
  .object({
    id: z.string().regex(/^\d+$/),
    properties: z.record(z.string(), z.string().nullable()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    archived: z.boolean(),
    archivedAt: z.iso.datetime().optional(),
    associations: z
      .record(z.string(), z.object({ results: z.array(z.object({ id: z.string(), type: z.string() })) }))
      .optional(),
  })
  .strict();
export type RawRecord = z.output<typeof RecordSchema>;

export const ListPageSchema = z
  .object({
    results: z.array(RecordSchema),
    paging: z
      .object({ next: z.object({ after: z.string(), link: z.string() }).strict() })
      .strict()
      .optional(),
  })
  .strict();

export const SearchPageSchema = z
  .object({
    total: z.number().int(),
    results: z.array(RecordSchema),
    paging: z
      .object({ next: z.object({ after: z.string().regex(/^\d+$/) }).strict() })
      .strict()
      .optional(),
  })
  .strict();

export const ErrorSchema = z
  .object({ status: z.literal('error'), message: z.string(), correlationId: z.uuid(), category: z.string() })
  .loose();

export const RateLimitSchema = z
  .object({
    status: z.literal('error'),
    message: z.string(),
    errorType: z.literal('RATE_LIMIT'),
    correlationId: z.uuid(),
    policyName: z.enum(['TEN_SECONDLY_ROLLING', 'SECONDLY', 'DAILY']),
    requestId: z.uuid(),
  })
  .strict();

export const BatchSchema = z
  .object({
    status: z.literal('COMPLETE'),
    results: z.array(RecordSchema.extend({ new: z.boolean().optional() })),
    numErrors: z.number().int().optional(),
    errors: z
      .array(
        z.object({
          status: z.literal('error'),
          category: z.string(),
          message: z.string(),
          context: z.record(z.string(), z.array(z.string())),
        }),
      )
      .optional(),
    startedAt: z.iso.datetime(),
    completedAt: z.iso.datetime(),
  })
  .strict();

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
  /** The body parsed with a schema (throws with the body when it does not fit). */
  as<T extends z.ZodType>(schema: T): z.output<T>;
}

/** Plain HTTP against the simulator (no SDK): what a connector's own client sees. */
export class HubspotHttp {
  readonly #sim: StartedHubspotSimulator;

  constructor(sim: StartedHubspotSimulator) {
    this.#sim = sim;
  }

  async call(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = this.#sim.token,
  ): Promise<RawResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    const res = await fetch(`${this.#sim.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    return {
      status: res.status,
      headers: res.headers,
      text,
      json,
      as: (schema) => {
        const parsed = schema.safeParse(json);
        if (!parsed.success)
          throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 500)}: ${parsed.error.message}`);
        return parsed.data;
      },
    };
  }

  get(path: string, token?: string | null): Promise<RawResponse> {
    return this.call('GET', path, undefined, token);
  }

  post(path: string, body: unknown, token?: string | null): Promise<RawResponse> {
    return this.call('POST', path, body, token);
  }

  /** Every page of a list, following paging.next.after. */
  async listAll(type: string, query = ''): Promise<RawRecord[]> {
    const out: RawRecord[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 100_000; guard++) {
      const res = await this.get(
        `/crm/v3/objects/${type}?limit=100${query}${after ? `&after=${after}` : ''}`,
      );
      if (res.status !== 200) throw new Error(`list ${type}: ${res.status} ${res.text}`);
      const page = res.as(ListPageSchema);
      out.push(...page.results);
      after = page.paging?.next.after;
      if (after === undefined) return out;
    }
    throw new Error('list did not end');
  }

  /** Every page of a search (stops at HubSpot's 10,000-result window). */
  async searchAll(type: string, body: Record<string, unknown>): Promise<RawRecord[]> {
    const out: RawRecord[] = [];
    let after: string | undefined;
    for (;;) {
      const res = await this.post(`/crm/v3/objects/${type}/search`, {
        limit: 200,
        ...body,
        ...(after ? { after } : {}),
      });
      if (res.status !== 200) throw new Error(`search ${type}: ${res.status} ${res.text}`);
      const page = res.as(SearchPageSchema);
      out.push(...page.results);
      after = page.paging?.next.after;
      if (after === undefined) return out;
    }
  }
}

/** The simulator's ground truth for one object. */
export async function truthOf(sim: StartedHubspotSimulator, object: string): Promise<RawRecord[]> {
  return z.array(RecordSchema).parse(await sim.control.truth(object));
}

/**
 * Starts a simulator for one describe block (limits off unless given) and stops it afterwards.
 * Read `sim` and `http` inside tests: they exist once the block's beforeAll has run.
 */
export function simulatorFixture(options: HubspotSimulatorOptions): {
  sim: StartedHubspotSimulator;
  http: HubspotHttp;
} {
  const fixture = {} as { sim: StartedHubspotSimulator; http: HubspotHttp };
  beforeAll(async () => {
    fixture.sim = await startHubspotSimulator({ burstLimit: 0, searchPerSecond: 0, ...options });
    fixture.http = new HubspotHttp(fixture.sim);
  });
  afterAll(() => fixture.sim.close());
  return fixture;
}
