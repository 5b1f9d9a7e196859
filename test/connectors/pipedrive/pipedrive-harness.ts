import {
  type PipedriveSourceConfig,
  PipedriveSourceSchema,
} from '../../../connectors/pipedrive/pipedrive-config.js';
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
import type { SourceHarness } from '../../conformance/source-conformance.js';

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

export function pipedriveHarness(testbed: PipedriveTestbed, streams: readonly string[]): SourceHarness {
  const { sim } = testbed;
  return {
    source: testbed.source,
    streams,
    truth: (stream) => truthOf(sim, stream),
    async mutate(stream, n) {
      // Pipedrive timestamps have whole seconds: a second later, changes sort after everything read.
      await sim.control.advanceClock(1_000);
      return (await mutate(sim, { object: stream, update: n })).ids;
    },
    async remove(stream, n) {
      await sim.control.advanceClock(1_000);
      return (await mutate(sim, { object: stream, delete: n })).ids;
    },
    async calls() {
      return (await sim.control.stats()).total;
    },
    close: () => sim.close(),
  };
}
