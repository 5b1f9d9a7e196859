import {
  type ActiveCampaignSourceConfig,
  ActiveCampaignSourceSchema,
} from '../../../connectors/activecampaign/activecampaign-config.js';
import { activeCampaignClientFor } from '../../../connectors/activecampaign/activecampaign-connection.js';
import {
  ActiveCampaignDestination,
  type ActiveCampaignWriteOptions,
} from '../../../connectors/activecampaign/activecampaign-destination.js';
import { createActiveCampaignSource } from '../../../connectors/activecampaign/activecampaign-source.js';
import { CrmConnections } from '../../../connectors/connections.js';
import type { CursorState } from '../../../core/cursor-state.js';
import { CountingRequestLog } from '../../../core/request-log.js';
import type { ReadContext, Source, Stream } from '../../../core/source.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import {
  type ActiveCampaignSimulatorOptions,
  type StartedActiveCampaignSimulator,
  startActiveCampaignSimulator,
} from '../../../simulators/activecampaign/start-activecampaign-simulator.js';
import type {
  ConnectorHarness,
  DestinationHarness,
  SourceHarness,
} from '../../conformance/connector-harness.js';
import { simulatorControls } from '../../conformance/simulator-harness.js';

export const TOKEN_ENV = 'TEST_ACTIVECAMPAIGN_TOKEN';

/** Streams whose records the simulator can change, delete and report the truth of. */
export const MUTABLE_STREAMS = ['contacts', 'accounts', 'deals', 'notes', 'account_contacts'] as const;

export interface ActiveCampaignTestbed {
  readonly sim: StartedActiveCampaignSimulator;
  readonly source: Source;
  readonly destination: ActiveCampaignDestination;
  readonly requests: CountingRequestLog;
  readonly log: MemoryLogger;
  readonly config: ActiveCampaignSourceConfig;
  stream(name: string): Stream;
}

/**
 * A simulated ActiveCampaign account plus a Source and a Destination pointed at it as the demo does
 * (base URL + token via env), sharing one connection (one rate budget). The simulator's limit is high
 * unless a test is about pacing: `RateLimit-Limit` on its answers sizes the client's budget.
 */
export async function activecampaignTestbed(
  simOptions: ActiveCampaignSimulatorOptions = {},
  configOverrides: Readonly<Record<string, unknown>> = {},
  writeOptions: ActiveCampaignWriteOptions = {},
): Promise<ActiveCampaignTestbed> {
  const sim = await startActiveCampaignSimulator({
    seed: 7,
    scale: 600,
    share: 0.5,
    rateLimit: 1000,
    busy503Share: 0,
    importDelayMs: 20,
    ...simOptions,
  });
  return activecampaignOn(sim, configOverrides, writeOptions);
}

export function activecampaignOn(
  sim: StartedActiveCampaignSimulator,
  configOverrides: Readonly<Record<string, unknown>> = {},
  writeOptions: ActiveCampaignWriteOptions = {},
  env: Readonly<Record<string, string>> = { [TOKEN_ENV]: sim.apiToken },
): ActiveCampaignTestbed {
  const config = ActiveCampaignSourceSchema.parse({
    kind: 'activecampaign',
    accountUrl: 'https://tide-test.api-us1.com',
    apiTokenEnv: TOKEN_ENV,
    overlapMinutes: 0,
    reconcileDeletesEveryHours: 0,
    ...configOverrides,
  });
  const requests = new CountingRequestLog();
  const log = new MemoryLogger();
  const deps = {
    env,
    requestLog: requests,
    log,
    baseUrl: sim.baseUrl,
    connections: new CrmConnections(),
    tuning: { maxRetries: 4, backoff: { baseMs: 5, maxMs: 50 } },
  };
  const source = createActiveCampaignSource(config, deps);
  const destination = new ActiveCampaignDestination(
    config.name,
    activeCampaignClientFor(config, deps),
    writeOptions,
  );
  return {
    sim,
    source,
    destination,
    requests,
    log,
    config,
    stream(name) {
      const stream = source.streams().find((s) => s.name === name);
      if (!stream) throw new Error(`no stream ${name}`);
      return stream;
    },
  };
}

/**
 * The simulator's now, for `runStartedAt`: tests advance its clock past the wall clock, and a cursor
 * never passes the run's start, so runs must start at the CRM's now as they do against a real CRM.
 */
export async function simNow(sim: StartedActiveCampaignSimulator): Promise<Date> {
  const { now } = (await sim.control.advanceClock(0)) as { now: string };
  return new Date(now);
}

export async function readContext(
  bed: ActiveCampaignTestbed,
  cursor: CursorState | null,
): Promise<ReadContext> {
  return {
    cursor,
    fullRefresh: false,
    startDate: null,
    runStartedAt: await simNow(bed.sim),
    signal: new AbortController().signal,
    progress: { page: () => {} },
    log: bed.log,
  };
}

export interface MutationReply {
  readonly ids: string[];
  readonly created: string[];
  readonly updated: string[];
  readonly deleted: string[];
  readonly at: string;
}

export async function mutate(
  sim: StartedActiveCampaignSimulator,
  body: Record<string, unknown>,
): Promise<MutationReply> {
  return (await sim.control.mutate(body)) as MutationReply;
}

interface TruthRow {
  readonly id: string;
  readonly fields?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

export async function truthRows(sim: StartedActiveCampaignSimulator, object: string): Promise<TruthRow[]> {
  return (await sim.control.truth(object)) as TruthRow[];
}

/** The source side of the conformance harness; hard-deleted ids stay in the truth as deleted. */
export function activecampaignSourceHarness(
  bed: ActiveCampaignTestbed,
  streams: readonly string[],
): SourceHarness {
  const { sim } = bed;
  const controls = simulatorControls(sim.control);
  // Deletes are hard (and a deleted contact takes its account links along): every id the truth
  // ever showed is remembered, so one missing now is a deleted one.
  const known = new Map<string, Set<string>>();
  let fields = 0;
  return {
    source: bed.source,
    fresh: () => activecampaignOn(sim, bed.config).source,
    now: () => simNow(sim),
    streams,
    pageSize: 100,
    checkpointsMidRead: false,
    async truth(stream) {
      const live = await truthRows(sim, stream);
      const ever = known.get(stream) ?? new Set<string>();
      known.set(stream, ever);
      const out = new Map(live.map((r) => [r.id, false]));
      for (const id of ever) if (!out.has(id)) out.set(id, true);
      for (const id of out.keys()) ever.add(id);
      return out;
    },
    async mutate(stream, n, options) {
      // Whole seconds: a second later, changes sort after everything read.
      await sim.control.advanceClock(1_000);
      return (await mutate(sim, { object: stream, update: n, sameInstant: options?.sameInstant ?? false }))
        .ids;
    },
    async remove(stream, n) {
      await this.truth(stream);
      await sim.control.advanceClock(1_000);
      return (await mutate(sim, { object: stream, delete: n })).deleted;
    },
    async addCustomField(stream, n) {
      if (stream !== 'contacts') throw new Error('the harness adds custom fields to contacts only');
      const title = `Harness Field ${++fields}`;
      await sim.control.configure({ addField: { title } });
      await sim.control.advanceClock(1_000);
      const { ids } = await mutate(sim, {
        object: 'contacts',
        update: n,
        setFields: { [title]: `value ${fields}` },
      });
      return { field: title, ids };
    },
    fault: (f) => controls.fault(f),
    pendingFaults: controls.pendingFaults,
    calls: controls.calls,
  };
}

/** The destination side: contacts, a text score field (contacts have no number type) and a text field. */
export function activecampaignDestinationHarness(bed: ActiveCampaignTestbed): DestinationHarness {
  const { sim } = bed;
  const controls = simulatorControls(sim.control);
  const contact = async (id: string): Promise<TruthRow | undefined> =>
    (await truthRows(sim, 'contacts')).find((c) => c.id === id);
  const valueIn = (c: TruthRow, field: string): unknown =>
    field in (c.fields ?? {}) ? c.fields?.[field] : c[field];
  const handedOut = new Set<string>();
  return {
    destination: bed.destination,
    object: 'contacts',
    numberField: 'TIDE_SCORE',
    numberFieldTyped: false,
    textField: 'JOB_TITLE',
    batchWrites: false,
    async existingIds(n) {
      const unused = async (): Promise<string[]> =>
        (await truthRows(sim, 'contacts')).map((c) => c.id).filter((id) => !handedOut.has(id));
      let fresh = await unused();
      // The cases want more contacts than a small account holds: the account gets new ones first.
      if (fresh.length < n) {
        await mutate(sim, { object: 'contacts', create: n - fresh.length });
        fresh = await unused();
      }
      const ids = fresh.slice(0, n);
      if (ids.length < n) throw new Error(`the simulator has only ${ids.length} contacts not handed out`);
      for (const id of ids) handedOut.add(id);
      return ids;
    },
    async valueOf(id, field) {
      const c = await contact(id);
      return c === undefined ? undefined : valueIn(c, field);
    },
    async valuesOf(ids, field) {
      const wanted = new Set(ids);
      return new Map(
        (await truthRows(sim, 'contacts'))
          .filter((c) => wanted.has(c.id))
          .map((c) => [c.id, valueIn(c, field)]),
      );
    },
    async snapshot(id) {
      const c = await contact(id);
      if (c === undefined) return {};
      const { firstName, lastName, phone, email } = c;
      return { firstName, lastName, phone, email, ...(c.fields ?? {}) };
    },
    async unwritableId() {
      // A contact deleted meanwhile (one no case was handed): its PUT answers 404 while the others
      // are written.
      const [victim] = await this.existingIds(1);
      if (victim === undefined) throw new Error('no contact left to delete');
      const { deleted } = await mutate(sim, { object: 'contacts', deleteIds: [victim] });
      const id = deleted[0];
      if (id === undefined) throw new Error(`the simulator did not delete contact ${victim}`);
      return id;
    },
    // A person's edit in ActiveCampaign: custom fields are set by title (the truth keys them by perstag).
    async edit(id, field, value) {
      const title = (await truthRows(sim, 'fields')).find((f) => f.perstag === field)?.title;
      if (typeof title !== 'string') throw new Error(`no contact field with perstag ${field}`);
      await sim.control.advanceClock(1_000);
      await mutate(sim, { object: 'contacts', ids: [id], setFields: { [title]: String(value) } });
    },
    rejectionReason: /^404: No Result found for Subscriber with id \d+$/,
    writeCalls: controls.writeCalls,
    fault: (f) => controls.fault(f, '/api/3/contacts'),
    pendingFaults: controls.pendingFaults,
  };
}

export async function activecampaignHarness(): Promise<ConnectorHarness> {
  const bed = await activecampaignTestbed();
  return {
    kind: 'activecampaign',
    source: activecampaignSourceHarness(bed, MUTABLE_STREAMS),
    destination: activecampaignDestinationHarness(bed),
    close: () => bed.sim.close(),
  };
}
