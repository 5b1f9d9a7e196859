import { type ZohoSourceConfig, ZohoSourceSchema } from '../../../connectors/zoho/zoho-config.js';
import { type ZohoTuning, zohoConnectionFor } from '../../../connectors/zoho/zoho-connection.js';
import { ZohoDestination } from '../../../connectors/zoho/zoho-destination.js';
import { RECORDS_PER_PAGE } from '../../../connectors/zoho/zoho-records-reader.js';
import { createZohoSource } from '../../../connectors/zoho/zoho-source.js';
import type { CursorState } from '../../../core/cursor-state.js';
import { CountingRequestLog } from '../../../core/request-log.js';
import type { ReadContext, Source, Stream } from '../../../core/source.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import {
  type StartedZohoSimulator,
  startZohoSimulator,
  type ZohoSimulatorOptions,
} from '../../../simulators/zoho/start-zoho-simulator.js';
import type {
  ConnectorHarness,
  DestinationHarness,
  SimulatorFault,
  SourceHarness,
} from '../../conformance/connector-harness.js';
import { simulatorControls } from '../../conformance/simulator-harness.js';

export const ENV = {
  clientIdEnv: 'ZOHO_TEST_ID',
  clientSecretEnv: 'ZOHO_TEST_SECRET',
  refreshTokenEnv: 'ZOHO_TEST_REFRESH',
} as const;
export const TUNING: ZohoTuning = { maxRetries: 4, backoff: { baseMs: 5, maxMs: 40 } };

export interface ZohoTestbed {
  readonly sim: StartedZohoSimulator;
  readonly source: Source;
  readonly destination: ZohoDestination;
  readonly requests: CountingRequestLog;
  readonly log: MemoryLogger;
  readonly config: ZohoSourceConfig;
  stream(name: string): Stream;
}

let sources = 0;

/** A Zoho simulator plus a source and a destination pointed at it as the demo does (base URL + env). */
export async function zohoTestbed(
  simOptions: ZohoSimulatorOptions = {},
  configOverrides: Readonly<Record<string, unknown>> = {},
): Promise<ZohoTestbed> {
  const sim = await startZohoSimulator({
    seed: 7,
    scale: 800,
    bulkJobMs: 20,
    downloadsPerMinute: 0,
    ...simOptions,
  });
  return zohoSourceFor(sim, configOverrides);
}

export function zohoSourceFor(
  sim: StartedZohoSimulator,
  configOverrides: Readonly<Record<string, unknown>> = {},
): ZohoTestbed {
  const config = ZohoSourceSchema.parse({
    kind: 'zoho',
    name: `zoho_t${++sources}`,
    ...ENV,
    overlapMinutes: 0,
    bulkPollMs: 10,
    bulkPollMaxMs: 40,
    ...configOverrides,
  });
  const requests = new CountingRequestLog();
  const log = new MemoryLogger();
  const deps = {
    env: {
      ZOHO_TEST_ID: sim.clientId,
      ZOHO_TEST_SECRET: sim.clientSecret,
      ZOHO_TEST_REFRESH: sim.refreshToken,
    },
    baseUrl: sim.baseUrl,
    requestLog: requests,
    log,
    tuning: TUNING,
  };
  const source = createZohoSource(config, deps);
  const destination = new ZohoDestination(config.name, zohoConnectionFor(config, deps));
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

export interface ZohoTruthRecord {
  readonly id: string;
  readonly deleted: boolean;
  readonly Modified_Time_ms: number;
  readonly [field: string]: unknown;
}

export async function truthOf(sim: StartedZohoSimulator, module: string): Promise<ZohoTruthRecord[]> {
  return (await sim.control.truth(module)) as ZohoTruthRecord[];
}

/**
 * The simulator's now, for `runStartedAt`: tests move its clock past the wall clock, and a cursor never
 * passes the run's start, so a run must start at the CRM's now as it would against a real CRM.
 */
export async function simNow(sim: StartedZohoSimulator): Promise<Date> {
  const { now } = (await sim.control.advanceClock(0)) as { now: string };
  return new Date(Date.parse(now) + 1000);
}

export async function readContext(testbed: ZohoTestbed, cursor: CursorState | null): Promise<ReadContext> {
  return {
    cursor,
    fullRefresh: false,
    startDate: null,
    runStartedAt: await simNow(testbed.sim),
    signal: new AbortController().signal,
    progress: { page: () => {} },
    log: testbed.log,
  };
}

interface MutationReply {
  readonly ids: string[];
  readonly updated: string[];
  readonly deleted: string[];
}

async function mutate(sim: StartedZohoSimulator, body: Record<string, unknown>): Promise<MutationReply> {
  // Zoho's Modified_Time has whole seconds: a second later, changes sort after everything read.
  await sim.control.advanceClock(1_000);
  return (await sim.control.mutate(body)) as MutationReply;
}

let fieldCount = 0;

/**
 * Zoho's side of the conformance suites (test/conformance/connector-harness.ts). Beyond the contract
 * it also offers what the next revision of the contract asks (`fresh`, `now`, `valuesOf`,
 * `rejectionReason`; existing ids handed out once each).
 */
export function zohoHarness(
  testbed: ZohoTestbed,
  streams: readonly string[] = ['Contacts', 'Leads', 'Accounts', 'Deals'],
): ConnectorHarness {
  const { sim } = testbed;
  const controls = simulatorControls(sim.control);
  const fault = (f: SimulatorFault): Promise<void> => controls.fault(f, '/crm/');
  const handedOut = new Set<string>();
  // The suites' cases (ties, crash resume, overlap, empty pages) are about paged reads, which Zoho does
  // through the Records API; first loads through Bulk Read have their own tests (zoho-source.test.ts).
  const source: SourceHarness = {
    source: testbed.source,
    fresh: () => zohoSourceFor(sim, { bulkRead: false }).source,
    now: () => simNow(sim),
    streams,
    pageSize: RECORDS_PER_PAGE,
    async truth(stream) {
      return new Map((await truthOf(sim, stream)).map((r) => [r.id, r.deleted]));
    },
    async mutate(stream, n, options) {
      return (await mutate(sim, { object: stream, update: n, sameTimestamp: options?.sameInstant ?? false }))
        .updated;
    },
    async remove(stream, n) {
      return (await mutate(sim, { object: stream, delete: n })).deleted;
    },
    async addCustomField(stream, n) {
      const field = `Tide_Test_${++fieldCount}`;
      await sim.control.configure({ addField: { module: stream, api_name: field, data_type: 'text' } });
      const changed = await mutate(sim, {
        object: stream,
        update: n,
        setFields: { [field]: `value ${fieldCount}` },
      });
      return { field, ids: changed.updated };
    },
    fault,
    pendingFaults: controls.pendingFaults,
    calls: controls.calls,
  };
  const destination: DestinationHarness = {
    destination: testbed.destination,
    object: 'Contacts',
    numberField: 'Tide_Value',
    textField: 'Drop_Table_X',
    batchWrites: true,
    async existingIds(n) {
      const unused = async () =>
        (await truthOf(sim, 'Contacts')).filter((r) => !r.deleted && !handedOut.has(r.id)).map((r) => r.id);
      let fresh = await unused();
      // The seeded Contacts are the source suite's (kept as few as its contract allows); when the
      // destination cases want more, the CRM gets new ones first, as a user's org would hold them.
      if (fresh.length < n) {
        await mutate(sim, { object: 'Contacts', create: n - fresh.length });
        fresh = await unused();
      }
      if (fresh.length < n) throw new Error(`the Zoho simulator has only ${fresh.length} unused Contacts`);
      const ids = fresh.slice(0, n);
      for (const id of ids) handedOut.add(id);
      return ids;
    },
    async valueOf(id, field) {
      return (await truthOf(sim, 'Contacts')).find((r) => r.id === id)?.[field];
    },
    async valuesOf(ids: readonly string[], field: string) {
      const wanted = new Set(ids);
      return new Map(
        (await truthOf(sim, 'Contacts')).filter((r) => wanted.has(r.id)).map((r) => [r.id, r[field]]),
      );
    },
    rejectionReason: /^INVALID_DATA: .*\(id\)$/,
    async edit(id, field, value) {
      await mutate(sim, { object: 'Contacts', ids: [id], setFields: { [field]: value } });
    },
    async snapshot(id) {
      const record = (await truthOf(sim, 'Contacts')).find((r) => r.id === id);
      if (record === undefined) throw new Error(`no Contacts record ${id}`);
      return Object.fromEntries(
        Object.entries(record).filter(
          ([k, v]) => v !== null && k !== 'Modified_Time_ms' && k !== 'Modified_Time',
        ),
      );
    },
    async unwritableId() {
      // A record deleted meanwhile (one no other case was handed): Zoho refuses its update with
      // INVALID_DATA while writing the rest of the call.
      const victim = (await truthOf(sim, 'Contacts')).find((r) => !r.deleted && !handedOut.has(r.id));
      if (victim === undefined) throw new Error('no Contacts record left to delete');
      handedOut.add(victim.id);
      return (await mutate(sim, { object: 'Contacts', delete: 1, ids: [victim.id] })).deleted[0]!;
    },
    writeCalls: controls.writeCalls,
    fault: (f) => controls.fault(f, '/crm/v8/Contacts'),
    pendingFaults: controls.pendingFaults,
  };
  return { kind: 'zoho', source, destination, close: () => sim.close() };
}

/**
 * Zoho in the conformance suites (test/conformance/connectors.test.ts): paged reads through the Records
 * API, on the smallest org whose Contacts (the first stream) fill two pages once the suite's deletions
 * are done; the destination cases create the further Contacts they need.
 */
export async function zohoConnectorHarness(): Promise<ConnectorHarness> {
  const testbed = await zohoTestbed({ seed: 9, scale: 1400 }, { bulkRead: false });
  const live = (await truthOf(testbed.sim, 'Contacts')).filter((r) => !r.deleted).length;
  if (live < 2 * RECORDS_PER_PAGE + 10) {
    await testbed.sim.close();
    throw new Error(`the conformance org holds ${live} live Contacts: fewer than two pages and a margin`);
  }
  return zohoHarness(testbed);
}
