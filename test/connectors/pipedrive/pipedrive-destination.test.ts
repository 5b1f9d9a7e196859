import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PipedriveSourceSchema } from '../../../connectors/pipedrive/pipedrive-config.js';
import { pipedriveClientFor } from '../../../connectors/pipedrive/pipedrive-connection.js';
import { PipedriveDestination } from '../../../connectors/pipedrive/pipedrive-destination.js';
import type { Destination } from '../../../core/destination.js';
import type { Warehouse } from '../../../load/warehouse.js';
import type { SyncReport } from '../../../reverse/run-sync.js';
import type { SyncInput } from '../../../reverse/sync-config.js';
import {
  type StartedPipedriveSimulator,
  startPipedriveSimulator,
} from '../../../simulators/pipedrive/start-pipedrive-simulator.js';
import { runTestSync } from '../../reverse/sync-harness.js';
import { createTable, memoryWarehouse } from '../../reverse/warehouse-fixture.js';

interface Person {
  readonly id: number;
  readonly is_deleted?: boolean;
  readonly custom_fields: Readonly<Record<string, unknown>>;
}
interface FieldDef {
  readonly key: string;
  readonly name: string;
  readonly options?: readonly { id: number; label: string }[];
}

let sim: StartedPipedriveSimulator;
let persons: Person[];
let field: (name: string) => FieldDef;
let warehouse: Warehouse;

beforeAll(async () => {
  sim = await startPipedriveSimulator({ seed: 9, scale: 4000, burstLimit: 0 });
  persons = ((await sim.control.truth('persons')) as Person[]).filter((p) => !p.is_deleted);
  const defs = (await sim.control.truth('personFields')) as FieldDef[];
  field = (name) => defs.find((d) => d.name === name)!;
});
afterAll(() => sim.close());

beforeEach(async () => {
  warehouse = await memoryWarehouse();
  await sim.control.resetStats();
  await sim.control.clearFaults();
  // A generous window: its headers tell the client the limit (without them it assumes the smallest plan's 20).
  await sim.control.configure({ burstLimit: 1000 });
  return () => warehouse.close();
});

function destination(): PipedriveDestination {
  const config = PipedriveSourceSchema.parse({
    kind: 'pipedrive',
    name: 'pipedrive',
    apiTokenEnv: 'PD_TOKEN',
  });
  return new PipedriveDestination(
    'pipedrive',
    pipedriveClientFor(config, { env: { PD_TOKEN: sim.apiToken }, baseUrl: sim.baseUrl }),
  );
}

/** analytics.customer_scores for persons [from, from + n): score = (i * 11) % 100 + 0.5, a segment. */
async function scores(n: number, from = 0): Promise<Person[]> {
  const picked = persons.slice(from, from + n);
  await createTable(
    warehouse,
    'analytics.customer_scores',
    picked.map((p, i) => ({
      pipedrive_id: String(p.id),
      score: ((i * 11) % 100) + 0.5,
      segment: i % 2 === 0 ? 'enterprise' : 'SMB',
      linkedin: `https://www.linkedin.com/in/person-${p.id}`,
    })),
    { pipedrive_id: 'VARCHAR', score: 'DOUBLE', segment: 'VARCHAR', linkedin: 'VARCHAR' },
  );
  return picked;
}

const sync: SyncInput = {
  name: 'pd_scores',
  from: 'analytics.customer_scores',
  to: { crm: 'pipedrive', object: 'persons' },
  match: { by: 'id', column: 'pipedrive_id' },
  // Custom fields by the names users see; Tide writes them by their 40-character keys.
  fields: { score: 'Lead score', segment: 'Segment' },
};

function run(
  dest: Destination = destination(),
  overrides: Partial<SyncInput> = {},
  extra: { dryRun?: boolean; signal?: AbortSignal } = {},
): Promise<SyncReport> {
  return runTestSync({
    warehouse,
    destination: dest,
    sync: { ...sync, ...overrides },
    ...extra,
  });
}

const PATCH = 'PATCH /api/v2/persons/{id}';

async function truth(): Promise<Map<number, Person>> {
  return new Map(((await sim.control.truth('persons')) as Person[]).map((p) => [p.id, p]));
}

describe('Pipedrive destination against the Pipedrive simulator', () => {
  it('reads *Fields: custom fields by hash key, option ids, standard fields it cannot write', async () => {
    const fields = await destination().fields('persons');
    const score = fields.find((f) => f.label === 'Lead score');
    expect(score).toMatchObject({ name: field('Lead score').key, type: 'number', readOnlyReason: null });
    expect(score?.name).toMatch(/^[0-9a-f]{40}$/);
    expect(fields.find((f) => f.label === 'Segment')?.options).toEqual(
      field('Segment').options!.map((o) => ({ value: String(o.id), label: o.label })),
    );
    expect(fields.find((f) => f.name === 'email')?.readOnlyReason).toContain('not a plain value');
    expect(fields.find((f) => f.name === 'job_title')).toMatchObject({
      type: 'string',
      readOnlyReason: null,
    });
  });

  it('writes custom values under custom_fields by hash key, enum options by id', async () => {
    const picked = await scores(20);
    const report = await run();
    expect(report.error).toBeNull();
    expect(report.counts).toMatchObject({ written: 20, rejected: 0 });
    const after = await truth();
    const segment = field('Segment');
    const enterprise = segment.options!.find((o) => o.label === 'Enterprise')!.id;
    expect(after.get(picked[2]!.id)?.custom_fields).toMatchObject({
      [field('Lead score').key]: 22.5,
      [segment.key]: enterprise,
    });
  });

  it('paces PATCHes by the 2-second burst window and rides out a 429 storm', async () => {
    await scores(90, 150);
    await sim.control.configure({ burstLimit: 40 });
    await sim.control.faults({ rateLimit: 3, pathContains: '/api/v2/persons/' });
    const report = await run(destination(), { name: 'pd_burst' });
    expect(report.error).toBeNull();
    expect(report.counts).toMatchObject({ written: 90, rejected: 0 });
    const stats = await sim.control.stats();
    expect(stats.byEndpointStatus[`${PATCH} 200`]).toBe(90);
    // The three injected 429s, and no more: the budget kept to the account's 40 per 2 s.
    expect(stats.byEndpointStatus[`${PATCH} 429`]).toBe(3);
  }, 60_000);
});
