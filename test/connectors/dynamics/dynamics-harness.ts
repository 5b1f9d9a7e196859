import {
  type DynamicsSourceConfig,
  DynamicsSourceSchema,
} from '../../../connectors/dynamics/dynamics-config.js';
import { dynamicsConnectionFor } from '../../../connectors/dynamics/dynamics-connection.js';
import { DynamicsDestination } from '../../../connectors/dynamics/dynamics-destination.js';
import { createDynamicsSource } from '../../../connectors/dynamics/dynamics-source.js';
import type { CursorState } from '../../../core/cursor-state.js';
import { CountingRequestLog } from '../../../core/request-log.js';
import type { ReadContext, Source, Stream } from '../../../core/source.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import {
  type DynamicsSimulatorOptions,
  type StartedDynamicsSimulator,
  startDynamicsSimulator,
} from '../../../simulators/dynamics/start-dynamics-simulator.js';
import type {
  ConnectorHarness,
  DestinationHarness,
  SimulatorFault,
  SourceHarness,
} from '../../conformance/connector-harness.js';
import type { SourceHarness as SourceSuiteHarness } from '../../conformance/source-conformance.js';

export const ENV = {
  clientIdEnv: 'TEST_DYNAMICS_CLIENT_ID',
  clientSecretEnv: 'TEST_DYNAMICS_CLIENT_SECRET',
} as const;

export interface DynamicsTestbed {
  readonly sim: StartedDynamicsSimulator;
  readonly source: Source;
  readonly config: DynamicsSourceConfig;
  readonly requests: CountingRequestLog;
  readonly log: MemoryLogger;
  stream(name: string): Stream;
  destination(mode?: 'batch' | 'parallel'): DynamicsDestination;
}

/** A simulator plus a source (and destinations) pointed at it as the demo does: base URL + env. */
export async function dynamicsTestbed(
  simOptions: DynamicsSimulatorOptions = {},
  configOverrides: Readonly<Record<string, unknown>> = {},
): Promise<DynamicsTestbed> {
  const sim = await startDynamicsSimulator({ seed: 7, scale: 300, ...simOptions });
  return dynamicsSourceFor(sim, configOverrides);
}

export function dynamicsSourceFor(
  sim: StartedDynamicsSimulator,
  configOverrides: Readonly<Record<string, unknown>> = {},
  env: Readonly<Record<string, string>> = {
    [ENV.clientIdEnv]: sim.clientId,
    [ENV.clientSecretEnv]: sim.clientSecret,
  },
): DynamicsTestbed {
  const config = DynamicsSourceSchema.parse({
    kind: 'dynamics',
    environmentUrl: 'https://tide-test.crm.dynamics.com',
    tenantId: sim.tenantId,
    ...ENV,
    pageSize: 100,
    overlapMinutes: 0,
    ...configOverrides,
  });
  const requests = new CountingRequestLog();
  const log = new MemoryLogger();
  const deps = {
    env,
    baseUrl: sim.baseUrl,
    requestLog: requests,
    tuning: { maxRetries: 4, backoff: { baseMs: 5, maxMs: 40 } },
  };
  const source = createDynamicsSource(config, { ...deps, log });
  return {
    sim,
    source,
    config,
    requests,
    log,
    stream(name) {
      const stream = source.streams().find((s) => s.name === name);
      if (!stream) throw new Error(`no stream ${name}`);
      return stream;
    },
    destination(mode = 'batch') {
      return new DynamicsDestination(config.name, dynamicsConnectionFor(config, deps), {
        mode,
        concurrency: 8,
      });
    },
  };
}

interface TruthRow {
  readonly id: string;
  readonly deleted: boolean;
  readonly version?: number;
  readonly values?: Readonly<Record<string, unknown>>;
}

export async function truthRows(sim: StartedDynamicsSimulator, set: string): Promise<TruthRow[]> {
  return (await sim.control.truth(set)) as TruthRow[];
}

/** The simulator's rows of a table: id → deleted. */
export async function truthOf(sim: StartedDynamicsSimulator, set: string): Promise<Map<string, boolean>> {
  return new Map((await truthRows(sim, set)).map((r) => [r.id, r.deleted]));
}

export interface MutationReply {
  readonly ids: string[];
  readonly created: string[];
  readonly updated: string[];
  readonly deleted: string[];
  readonly at: string;
}

export async function mutate(
  sim: StartedDynamicsSimulator,
  body: Record<string, unknown>,
): Promise<MutationReply> {
  // Dataverse keeps whole seconds: a second later, changes sort after everything read before.
  await sim.control.advanceClock(1_000);
  return (await sim.control.mutate(body)) as MutationReply;
}

/** The simulator's now, for runStartedAt: a cursor never passes the run's start. */
export async function simNow(sim: StartedDynamicsSimulator): Promise<Date> {
  const { now } = (await sim.control.advanceClock(0)) as { now: string };
  return new Date(Date.parse(now) + 1000);
}

export async function readContext(
  testbed: DynamicsTestbed,
  cursor: CursorState | null,
  extra: Partial<ReadContext> = {},
): Promise<ReadContext> {
  return {
    cursor,
    fullRefresh: false,
    startDate: null,
    runStartedAt: await simNow(testbed.sim),
    signal: new AbortController().signal,
    progress: { page: () => {} },
    log: testbed.log,
    ...extra,
  };
}

const LOGICAL: Readonly<Record<string, string>> = {
  contacts: 'contact',
  accounts: 'account',
  leads: 'lead',
  opportunities: 'opportunity',
  phonecalls: 'phonecall',
  tasks: 'task',
};

async function fault(sim: StartedDynamicsSimulator, f: SimulatorFault): Promise<void> {
  if (f.kind === 'rate-limit') await sim.control.faults({ rateLimit: f.count, pathContains: '/api/data/' });
  else await sim.control.configure({ emptyPages: f.count });
}

/** The source suite's harness (test/conformance/source-conformance.ts) for some tables. */
export function dynamicsSourceHarness(
  testbed: DynamicsTestbed,
  streams: readonly string[],
): SourceSuiteHarness {
  const { sim } = testbed;
  return {
    source: testbed.source,
    streams,
    truth: (stream) => truthOf(sim, stream),
    mutate: async (stream, n) => (await mutate(sim, { object: stream, update: n })).updated,
    remove: async (stream, n) => (await mutate(sim, { object: stream, delete: n })).deleted,
    calls: async () => (await sim.control.stats()).total,
    close: () => sim.close(),
  };
}

let fieldSerial = 0;

/**
 * Dynamics' side of the conformance suites (test/conformance/connector-harness.ts). Beyond the
 * contract it offers what its next revision asks (`fresh`, `now`, `valuesOf`, `rejectionReason`;
 * existing ids handed out once each; a two-decimal number field and a text field empty everywhere).
 */
export function dynamicsHarness(testbed: DynamicsTestbed, streams: readonly string[]): ConnectorHarness {
  const { sim } = testbed;
  const handedOut = new Set<string>();
  const liveContacts = async () => (await truthRows(sim, 'contacts')).filter((r) => !r.deleted);
  // Built apart from the returned object: the next revision of the contract has more members.
  const source: SourceHarness & { fresh(): Source; now(): Promise<Date> } = {
    source: testbed.source,
    fresh: () => dynamicsSourceFor(sim, { pageSize: testbed.config.pageSize }).source,
    now: () => simNow(sim),
    streams,
    pageSize: testbed.config.pageSize,
    truth: (stream) => truthOf(sim, stream),
    mutate: async (stream, n, options) =>
      (await mutate(sim, { object: stream, update: n, sameInstant: options?.sameInstant === true })).updated,
    remove: async (stream, n) => (await mutate(sim, { object: stream, delete: n })).deleted,
    async addCustomField(stream, n) {
      const field = `tide_added_${++fieldSerial}`;
      await sim.control.configure({
        addAttribute: { entity: LOGICAL[stream] ?? stream, logicalName: field, type: 'String' },
      });
      const reply = await mutate(sim, {
        object: stream,
        update: n,
        set: { [field]: `value ${fieldSerial}` },
      });
      return { field, ids: reply.updated };
    },
    fault: (f) => fault(sim, f),
    calls: async () => (await sim.control.stats()).total,
  };
  const destination: DestinationHarness & {
    valuesOf(ids: readonly string[], field: string): Promise<ReadonlyMap<string, unknown>>;
    readonly rejectionReason: RegExp;
  } = {
    destination: testbed.destination('batch'),
    object: 'contacts',
    // A decimal column with two places, and a text one no seeded contact fills.
    numberField: 'tide_rating',
    textField: 'description',
    batchWrites: true,
    async existingIds(n) {
      const fresh = (await liveContacts()).filter((r) => !handedOut.has(r.id)).slice(0, n);
      for (const r of fresh) handedOut.add(r.id);
      return fresh.map((r) => r.id);
    },
    async valueOf(id, field) {
      return (await truthRows(sim, 'contacts')).find((r) => r.id === id)?.values?.[field] ?? null;
    },
    async valuesOf(ids: readonly string[], field: string) {
      const wanted = new Set(ids);
      return new Map(
        (await truthRows(sim, 'contacts'))
          .filter((r) => wanted.has(r.id))
          .map((r) => [r.id, r.values?.[field] ?? null]),
      );
    },
    // `If-Match: *` on a row that is gone: Dataverse's 404, as the destination words it.
    rejectionReason:
      /^no contacts row [0-9a-f-]{36} \(updates never create rows\): 404: contact With Id = [0-9a-f-]{36} Does Not Exist$/,
    async snapshot(id) {
      const row = (await truthRows(sim, 'contacts')).find((r) => r.id === id);
      if (row === undefined) throw new Error(`no contacts row ${id}`);
      // Without the stamps Dataverse moves on every write.
      return Object.fromEntries(
        Object.entries(row.values ?? {}).filter(
          ([k, v]) => v !== null && k !== 'modifiedon' && k !== 'versionnumber',
        ),
      );
    },
    async unwritableId() {
      // A row deleted meanwhile (one no other case was handed): its PATCH with `If-Match: *` is a 404
      // while the rest of the $batch is written.
      const victim = (await liveContacts()).find((r) => !handedOut.has(r.id));
      if (victim === undefined) throw new Error('no contacts row left to delete');
      handedOut.add(victim.id);
      return (await mutate(sim, { object: 'contacts', delete: 1, ids: [victim.id] })).deleted[0]!;
    },
    writeCalls: async () => (await sim.control.stats()).writes,
    fault: (f) => fault(sim, f),
  };
  return { kind: 'dynamics', source, destination, close: () => sim.close() };
}
