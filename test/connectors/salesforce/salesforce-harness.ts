import { z } from 'zod';
import type { SalesforceSourceConfig } from '../../../connectors/salesforce/salesforce-config.js';
import { SalesforceSourceSchema } from '../../../connectors/salesforce/salesforce-config.js';
import {
  type SalesforceTuning,
  salesforceConnectionFor,
} from '../../../connectors/salesforce/salesforce-connection.js';
import { SalesforceDestination } from '../../../connectors/salesforce/salesforce-destination.js';
import { createSalesforceSource } from '../../../connectors/salesforce/salesforce-source.js';
import { CountingRequestLog } from '../../../core/request-log.js';
import type { Source, Stream } from '../../../core/source.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import {
  type SalesforceSimulatorOptions,
  type StartedSalesforceSimulator,
  startSalesforceSimulator,
} from '../../../simulators/salesforce/start-salesforce-simulator.js';
import type {
  ConnectorHarness,
  DestinationHarness,
  SourceHarness,
} from '../../conformance/connector-harness.js';
import { handOut, simulatorControls, truthViews } from '../../conformance/simulator-harness.js';

export const ENV_NAMES = { clientIdEnv: 'SF_CLIENT_ID', clientSecretEnv: 'SF_CLIENT_SECRET' } as const;

export interface SalesforceTestSource {
  readonly source: Source;
  readonly requests: CountingRequestLog;
  readonly log: MemoryLogger;
  stream(name: string): Stream;
}

/** A source against the simulator, configured like a user would (through the zod schema). */
export function salesforceSource(
  sim: StartedSalesforceSimulator,
  overrides: Partial<Record<keyof SalesforceSourceConfig, unknown>> = {},
  options: { refresh?: boolean } = {},
): SalesforceTestSource {
  const config = SalesforceSourceSchema.parse({
    kind: 'salesforce',
    ...ENV_NAMES,
    ...(options.refresh ? { refreshTokenEnv: 'SF_REFRESH_TOKEN' } : {}),
    bulkPollIntervalMs: 10,
    overlapMinutes: 0,
    ...overrides,
  });
  const requests = new CountingRequestLog();
  const log = new MemoryLogger();
  const source = createSalesforceSource(config, {
    env: {
      SF_CLIENT_ID: sim.clientId,
      SF_CLIENT_SECRET: sim.clientSecret,
      SF_REFRESH_TOKEN: sim.refreshToken,
    },
    baseUrl: sim.baseUrl,
    requestLog: requests,
    log,
    tuning: { maxRetries: 3, backoff: { baseMs: 5, maxMs: 20 } },
  });
  return {
    source,
    requests,
    log,
    stream(name) {
      const stream = source.streams().find((s) => s.name === name);
      if (!stream) throw new Error(`no stream ${name}`);
      return stream;
    },
  };
}

export function startSim(options: SalesforceSimulatorOptions = {}): Promise<StartedSalesforceSimulator> {
  return startSalesforceSimulator({ seed: 7, scale: 300, ...options });
}

/** The simulator's records of one object: id → IsDeleted. */
export async function truthOf(
  sim: StartedSalesforceSimulator,
  object: string,
): Promise<Map<string, boolean>> {
  const rows = (await sim.control.truth(object)) as { Id: string; IsDeleted: boolean }[];
  return new Map(rows.map((r) => [r.Id, r.IsDeleted]));
}

/** Advances the simulator clock, so what happens next has a later SystemModstamp than all before. */
export async function later(sim: StartedSalesforceSimulator, ms = 60_000): Promise<void> {
  await sim.control.advanceClock(ms);
}

/**
 * The simulator's now. Tests move the simulator clock ahead of the wall clock; a read that should
 * behave like a run started after those changes passes this as its `runStartedAt`.
 */
export async function simNow(sim: StartedSalesforceSimulator): Promise<Date> {
  const { now } = (await sim.control.advanceClock(0)) as { now: string };
  return new Date(Date.parse(now) + 1000);
}

const STREAMS = ['Contact', 'Account', 'Opportunity', 'Task'];
/** The simulated org serves REST query pages of at most this many rows (Salesforce may, PROTOCOL-FACTS §2). */
const PAGE = 200;
const TUNING: SalesforceTuning = { maxRetries: 3, backoff: { baseMs: 5, maxMs: 20 }, concurrencyRetryMs: 50 };

const ContactTruthSchema = z.object({ Id: z.string(), IsDeleted: z.boolean() }).loose();
const MutationSchema = z.object({
  updated: z.array(z.string()),
  deleted: z.array(z.string()),
  field: z.string().optional(),
});

/** The Salesforce connector's conformance harness (test/conformance/connector-harness.ts). */
export async function salesforceConnectorHarness(): Promise<ConnectorHarness> {
  const sim = await startSim({ seed: 61, scale: 2000, settings: { queryPageMax: PAGE } });
  const env = { SF_CLIENT_ID: sim.clientId, SF_CLIENT_SECRET: sim.clientSecret };
  const config = SalesforceSourceSchema.parse({
    kind: 'salesforce',
    ...ENV_NAMES,
    streams: STREAMS,
    bulkPollIntervalMs: 10,
    overlapMinutes: 0,
  });
  const newSource = (): Source =>
    createSalesforceSource(config, { env, baseUrl: sim.baseUrl, log: new MemoryLogger(), tuning: TUNING });
  // Salesforce stamps whole seconds, one per mutation call (a transaction): a second later, the
  // changes sort after everything read before.
  const mutate = async (body: Record<string, unknown>) => {
    await later(sim, 1_000);
    return MutationSchema.parse(await sim.control.mutate(body));
  };
  const controls = simulatorControls(sim.control);
  const contacts = async () => (await sim.control.truth('Contact')).map((r) => ContactTruthSchema.parse(r));
  let fields = 0;

  const source: SourceHarness = {
    source: newSource(),
    fresh: newSource,
    streams: STREAMS,
    pageSize: PAGE,
    now: () => simNow(sim),
    truth: (stream) => truthOf(sim, stream),
    async mutate(stream, n, options) {
      if (options?.sameInstant === true) return (await mutate({ object: stream, update: n })).updated;
      // Edits spread over time: one call (one SystemModstamp) per 100 records.
      const out: string[] = [];
      for (let done = 0; done < n; done += 100)
        out.push(...(await mutate({ object: stream, update: Math.min(100, n - done) })).updated);
      return out;
    },
    async remove(stream, n) {
      return (await mutate({ object: stream, delete: n })).deleted;
    },
    async addCustomField(stream, n) {
      const field = `Tide_Conformance_${++fields}__c`;
      const result = await mutate({ object: stream, addField: { name: field }, update: n });
      return { field, ids: result.updated };
    },
    fault: (f) => controls.fault(f),
    pendingFaults: controls.pendingFaults,
    calls: controls.calls,
  };

  const live = (await contacts()).filter((c) => !c.IsDeleted).map((c) => c.Id);
  const recordsOf = async (ids: readonly string[]) => {
    const wanted = new Set(ids);
    return new Map((await contacts()).filter((c) => wanted.has(c.Id)).map((c) => [c.Id, c]));
  };
  const stamps = new Set(['SystemModstamp', 'LastModifiedDate', 'LastModifiedById']);
  const destination: DestinationHarness = {
    destination: new SalesforceDestination(
      'salesforce',
      salesforceConnectionFor(config, { env, baseUrl: sim.baseUrl, tuning: TUNING }),
    ),
    object: 'Contact',
    numberField: 'Tide_Score__c',
    textField: 'Tide_Segment__c',
    batchWrites: true,
    existingIds: handOut(live, 'Contacts'),
    // Salesforce moves these itself on every save.
    ...truthViews(recordsOf, (name) => stamps.has(name)),
    // A person's save in Salesforce: the field set, SystemModstamp moved (a second later).
    async edit(id, field, value) {
      await mutate({ object: 'Contact', updateIds: [id], fields: { [field]: value } });
    },
    // A Contact id (prefix 003) well formed but never minted by the org.
    unwritableId: async () => '003000000000000AAA',
    rejectionReason: /^(INVALID_CROSS_REFERENCE_KEY|MALFORMED_ID|ENTITY_IS_DELETED)/,
    writeCalls: controls.writeCalls,
    fault: (f) => controls.fault(f, '/composite/sobjects'),
    pendingFaults: controls.pendingFaults,
  };

  return { kind: 'salesforce', source, destination, close: () => sim.close() };
}
