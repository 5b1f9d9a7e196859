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
  SourceHarness,
} from '../../conformance/connector-harness.js';
import { simulatorControls, truthViews } from '../../conformance/simulator-harness.js';

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

let fieldSerial = 0;

/**
 * Dynamics' side of the conformance suites (test/conformance/connector-harness.ts), over tables with
 * change tracking (deletes arrive with the increments; tables read by modifiedon windows learn of
 * deletes at the periodic reconcile, which dynamics-source.test.ts proves).
 */
export async function dynamicsHarness(
  testbed: DynamicsTestbed,
  streams: readonly string[] = ['contacts', 'accounts', 'opportunities'],
): Promise<ConnectorHarness> {
  const { sim } = testbed;
  const controls = simulatorControls(sim.control);
  const contacts = async () => truthRows(sim, 'contacts');
  const source: SourceHarness = {
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
    fault: (f) => controls.fault(f, '/api/data/'),
    pendingFaults: controls.pendingFaults,
    calls: controls.calls,
  };
  // Each suite starts its own harness, so the destination cases may take any live contact; ids are
  // handed out once each, and the CRM gets new contacts when the seeded ones run out.
  const handedOut = new Set<string>();
  const unused = async (n: number): Promise<string[]> => {
    const ids = (await contacts()).filter((r) => !r.deleted && !handedOut.has(r.id)).map((r) => r.id);
    if (ids.length < n)
      ids.push(...(await mutate(sim, { object: 'contacts', create: n - ids.length })).created);
    const out = ids.slice(0, n);
    for (const id of out) handedOut.add(id);
    return out;
  };
  const destination: DestinationHarness = {
    destination: testbed.destination('batch'),
    object: 'contacts',
    // A decimal column with two places, and a text one no seeded contact fills.
    numberField: 'tide_rating',
    textField: 'description',
    batchWrites: true,
    existingIds: unused,
    ...truthViews(
      async (ids) => {
        const wanted = new Set(ids);
        return new Map((await contacts()).filter((r) => wanted.has(r.id)).map((r) => [r.id, r.values ?? {}]));
      },
      // The stamps Dataverse moves on every write.
      (field) => field === 'modifiedon' || field === 'versionnumber',
    ),
    // A person's save in Dynamics: the column set, modifiedon moved (a second later).
    async edit(id, field, value) {
      await mutate(sim, { object: 'contacts', ids: [id], set: { [field]: value } });
    },
    // `If-Match: *` on a row that is gone: Dataverse's 404, as the destination words it.
    rejectionReason:
      /^no contacts row [0-9a-f-]{36} \(updates never create rows\): 404: contact With Id = [0-9a-f-]{36} Does Not Exist$/,
    async unwritableId() {
      // A row deleted meanwhile: its PATCH with `If-Match: *` is a 404 while the rest of the $batch
      // is written.
      const [victim] = await unused(1);
      return (await mutate(sim, { object: 'contacts', delete: 1, ids: [victim!] })).deleted[0]!;
    },
    writeCalls: controls.writeCalls,
    fault: (f) => controls.fault(f, '/api/data/v9.2/$batch'),
    pendingFaults: controls.pendingFaults,
  };
  return { kind: 'dynamics', source, destination, close: () => sim.close() };
}

/** Dynamics in the conformance suites (test/conformance/connectors.test.ts). */
export async function dynamicsConnectorHarness(): Promise<ConnectorHarness> {
  return dynamicsHarness(await dynamicsTestbed({ seed: 61, scale: 900 }));
}
