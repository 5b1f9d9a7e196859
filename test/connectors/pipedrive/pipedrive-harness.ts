import { z } from 'zod';
import { PAGE_LIMIT } from '../../../connectors/pipedrive/pipedrive-client.js';
import {
  type PipedriveSourceConfig,
  PipedriveSourceSchema,
} from '../../../connectors/pipedrive/pipedrive-config.js';
import { pipedriveClientFor } from '../../../connectors/pipedrive/pipedrive-connection.js';
import { PipedriveDestination } from '../../../connectors/pipedrive/pipedrive-destination.js';
import { createPipedriveSource } from '../../../connectors/pipedrive/pipedrive-source.js';
import type { CursorState } from '../../../core/cursor-state.js';
import { CountingRequestLog } from '../../../core/request-log.js';
import type { ReadContext, Source, Stream } from '../../../core/source.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import {
  type PipedriveSimulatorOptions,
  type StartedPipedriveSimulator,
  startPipedriveSimulator,
} from '../../../simulators/pipedrive/start-pipedrive-simulator.js';
import type {
  ConnectorHarness,
  DestinationHarness,
  SourceHarness,
} from '../../conformance/connector-harness.js';
import { handOut, simulatorControls, truthViews } from '../../conformance/simulator-harness.js';

export const TOKEN_ENV = 'TEST_PIPEDRIVE_TOKEN';

export interface PipedriveTestbed {
  readonly sim: StartedPipedriveSimulator;
  readonly source: Source;
  readonly requests: CountingRequestLog;
  readonly log: MemoryLogger;
  readonly config: PipedriveSourceConfig;
  stream(name: string): Stream;
}

/** A Pipedrive simulator plus a source pointed at it as the demo does (base URL + token via env). */
export async function pipedriveTestbed(
  simOptions: PipedriveSimulatorOptions = {},
  configOverrides: Readonly<Record<string, unknown>> = {},
): Promise<PipedriveTestbed> {
  const sim = await startPipedriveSimulator({ seed: 7, scale: 600, burstLimit: 0, ...simOptions });
  return pipedriveSourceFor(sim, configOverrides);
}

export function pipedriveSourceFor(
  sim: StartedPipedriveSimulator,
  configOverrides: Readonly<Record<string, unknown>> = {},
  env: Readonly<Record<string, string>> = { [TOKEN_ENV]: sim.apiToken },
): PipedriveTestbed {
  const config = PipedriveSourceSchema.parse({
    kind: 'pipedrive',
    apiTokenEnv: TOKEN_ENV,
    overlapMinutes: 0,
    ...configOverrides,
  });
  const requests = new CountingRequestLog();
  const log = new MemoryLogger();
  const source = createPipedriveSource(config, {
    env,
    requestLog: requests,
    log,
    baseUrl: sim.baseUrl,
    tuning: { maxRetries: 4, backoff: { baseMs: 5, maxMs: 50 } },
  });
  return {
    sim,
    source,
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

interface TruthRecord {
  readonly id: number | string;
  readonly is_deleted?: boolean;
}

export interface MutationReply {
  readonly ids: string[];
  readonly created: string[];
  readonly updated: string[];
  readonly deleted: string[];
  readonly at: string;
  readonly field?: { readonly key: string; readonly name: string };
}

/**
 * The simulator's now, for `runStartedAt`: tests advance its clock past the wall clock, and a cursor
 * never passes the run's start, so runs must start at the CRM's now as they do against a real CRM.
 */
export async function simNow(sim: StartedPipedriveSimulator): Promise<Date> {
  const { now } = (await sim.control.advanceClock(0)) as { now: string };
  return new Date(now);
}

/** A read context as the runner builds it, starting at the simulator's now. */
export async function readContext(
  testbed: PipedriveTestbed,
  cursor: CursorState | null,
): Promise<ReadContext> {
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

export async function mutate(
  sim: StartedPipedriveSimulator,
  body: Record<string, unknown>,
): Promise<MutationReply> {
  return (await sim.control.mutate(body)) as MutationReply;
}

/** The simulator's records of one object: id → is_deleted. */
export async function truthOf(sim: StartedPipedriveSimulator, object: string): Promise<Map<string, boolean>> {
  const records = (await sim.control.truth(object)) as TruthRecord[];
  return new Map(records.map((r) => [String(r.id), r.is_deleted === true]));
}

const STREAMS = ['persons', 'organizations', 'deals', 'activities'];
const TUNING = { maxRetries: 4, backoff: { baseMs: 5, maxMs: 50 } } as const;

const PersonTruthSchema = z
  .object({
    id: z.coerce.string(),
    is_deleted: z.boolean().optional(),
    custom_fields: z.record(z.string(), z.unknown()).default({}),
  })
  .loose();
const MutationSchema = z.object({
  updated: z.array(z.string()),
  deleted: z.array(z.string()),
  field: z.object({ key: z.string(), name: z.string() }).optional(),
});

/** The Pipedrive connector's conformance harness (test/conformance/connector-harness.ts). */
export async function pipedriveConnectorHarness(): Promise<ConnectorHarness> {
  // A generous burst window whose headers tell the client its size (without them it assumes 20).
  const sim = await startPipedriveSimulator({ seed: 7, scale: 3400, burstLimit: 1000 });
  const env = { [TOKEN_ENV]: sim.apiToken };
  const config = PipedriveSourceSchema.parse({
    kind: 'pipedrive',
    apiTokenEnv: TOKEN_ENV,
    streams: STREAMS,
    overlapMinutes: 0,
  });
  const newSource = (): Source =>
    createPipedriveSource(config, { env, log: new MemoryLogger(), baseUrl: sim.baseUrl, tuning: TUNING });
  // Pipedrive timestamps have whole seconds: a second later, changes sort after everything read.
  const change = async (body: Record<string, unknown>) => {
    await sim.control.advanceClock(1_000);
    return MutationSchema.parse(await sim.control.mutate(body));
  };
  const controls = simulatorControls(sim.control);
  let fields = 0;

  const source: SourceHarness = {
    source: newSource(),
    fresh: newSource,
    streams: STREAMS,
    pageSize: PAGE_LIMIT,
    now: () => simNow(sim),
    truth: (stream) => truthOf(sim, stream),
    async mutate(stream, n, options) {
      return (await change({ object: stream, update: n, sameTimestamp: options?.sameInstant === true }))
        .updated;
    },
    async remove(stream, n) {
      return (await change({ object: stream, delete: n })).deleted;
    },
    async addCustomField(stream, n) {
      const name = `Conformance field ${++fields}`;
      // Records edited after a field is added get values for it (company-mutations.ts).
      const result = await change({ addField: { object: stream, name }, object: stream, update: n });
      return { field: name, ids: result.updated };
    },
    fault: (f) => controls.fault(f),
    pendingFaults: controls.pendingFaults,
    calls: controls.calls,
  };

  const added = async (name: string, type: string): Promise<string> => {
    const { field } = await change({ addField: { object: 'persons', name, type } });
    if (field === undefined) throw new Error(`the Pipedrive simulator did not add ${name}`);
    return field.key;
  };
  const numberField = await added('Conformance score', 'double');
  const textField = await added('Conformance note', 'varchar');
  const persons = async () => (await sim.control.truth('persons')).map((r) => PersonTruthSchema.parse(r));
  const live = (await persons()).filter((p) => p.is_deleted !== true).map((p) => p.id);
  /** Persons' fields, custom ones by their hash key next to the standard ones. */
  const flatOf = async (ids: readonly string[]) => {
    const wanted = new Set(ids);
    const out = new Map<string, Readonly<Record<string, unknown>>>();
    for (const { custom_fields, ...standard } of await persons())
      if (wanted.has(standard.id)) out.set(standard.id, { ...standard, ...custom_fields });
    return out;
  };
  const destination: DestinationHarness = {
    destination: new PipedriveDestination(
      'pipedrive',
      pipedriveClientFor(config, { env, baseUrl: sim.baseUrl, tuning: TUNING }),
    ),
    object: 'persons',
    // Custom fields are written by their 40-character hash keys (their labels work too).
    numberField,
    textField,
    batchWrites: false,
    existingIds: handOut(live, 'persons'),
    // Pipedrive moves update_time itself on every write.
    ...truthViews(flatOf, (name) => name === 'update_time'),
    // A person's edit in Pipedrive: the custom field (by hash key) set, update_time moved.
    async edit(id, field, value) {
      await change({ object: 'persons', ids: [Number(id)], set: { custom_fields: { [field]: value } } });
    },
    // Person ids count up from 1: this one is far beyond the company's.
    unwritableId: async () => '99999999',
    rejectionReason: /^404: /,
    writeCalls: controls.writeCalls,
    fault: (f) => controls.fault(f, '/api/v2/persons/'),
    pendingFaults: controls.pendingFaults,
  };

  return { kind: 'pipedrive', source, destination, close: () => sim.close() };
}
