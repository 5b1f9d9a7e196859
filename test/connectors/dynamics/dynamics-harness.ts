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
import type { ConnectorHarness, SimulatorFault } from '../../conformance/connector-harness.js';
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
  else
    throw new Error(
      `the Dynamics simulator has no ${f.kind} fault: Dataverse pages are never empty with a next link`,
    );
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

/** The full connector harness (test/conformance/connector-harness.ts): source and destination. */
export function dynamicsHarness(testbed: DynamicsTestbed, streams: readonly string[]): ConnectorHarness {
  const { sim } = testbed;
  const destination = testbed.destination('batch');
  return {
    kind: 'dynamics',
    source: {
      source: testbed.source,
      streams,
      pageSize: testbed.config.pageSize,
      truth: (stream) => truthOf(sim, stream),
      mutate: async (stream, n, options) =>
        (await mutate(sim, { object: stream, update: n, sameInstant: options?.sameInstant === true }))
          .updated,
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
    },
    destination: {
      destination,
      object: 'contacts',
      numberField: 'tide_score',
      textField: 'tide_externalid',
      batchWrites: true,
      async existingIds(n) {
        return (await truthRows(sim, 'contacts'))
          .filter((r) => !r.deleted)
          .slice(0, n)
          .map((r) => r.id);
      },
      async valueOf(id, field) {
        return (await truthRows(sim, 'contacts')).find((r) => r.id === id)?.values?.[field] ?? null;
      },
      async snapshot(id) {
        const row = (await truthRows(sim, 'contacts')).find((r) => r.id === id);
        return Object.fromEntries(Object.entries(row?.values ?? {}).filter(([, v]) => v !== null));
      },
      async unwritableId() {
        // A row deleted meanwhile: `If-Match: *` makes its PATCH a 404 while the others go through.
        return (await mutate(sim, { object: 'contacts', delete: 1 })).deleted[0]!;
      },
      writeCalls: async () => (await sim.control.stats()).writes,
      fault: (f) => fault(sim, f),
    },
    close: () => sim.close(),
  };
}
