import { connectorFor } from '../../connectors/registry.js';
import type { Destination } from '../../core/destination.js';
import { ExitCode, isPartialCode, TideError } from '../../core/tide-error.js';
import type { StreamOutcome } from '../../extract/run-extract.js';
import { type RequestCount, rawTableName } from '../../load/warehouse.js';
import type { RawTable } from '../../reverse/raw-current.js';
import { runReverse, selectSyncs } from '../../reverse/run-reverse.js';
import type { SyncReport } from '../../reverse/run-sync.js';
import type { CliContext } from '../cli-context.js';
import type { PipelineSession } from '../pipeline-session.js';
import type { TrackedRun } from '../run-lifecycle.js';
import { formatReverseReport } from './reverse-report.js';

export interface ReverseSelection {
  /** Plan and print only. */
  readonly dryRun?: boolean;
  /** Only these syncs (all when empty). */
  readonly syncs?: readonly string[];
  /**
   * What this run's extract did (`tide run`): a sync whose object was extracted completely finds
   * conflicts in that raw table instead of reading the CRM back.
   */
  readonly extracted?: readonly StreamOutcome[];
}

/**
 * The reverse-ETL stage as the CLI runs it (`tide reverse`, and `tide run` after the models): every
 * configured sync through its account's Destination, sharing the account's HTTP client with
 * extraction; a summary per sync; request counts to `tide.requests`. Returns the exit code: non-zero
 * when a sync failed its checks or stopped, or rejected more than its `maxRejectRate`.
 */
export async function reverseStage(
  ctx: CliContext,
  run: TrackedRun,
  selection: ReverseSelection = {},
): Promise<number> {
  const { session } = run;
  const log = ctx.log.child({ stage: 'reverse' });
  const syncs = selectSyncs(session.config.syncs, selection.syncs ?? []);
  if (syncs.length === 0) {
    log.info('no syncs configured: nothing to push (see README, "Reverse ETL")');
    return ExitCode.ok;
  }
  const dryRun = selection.dryRun ?? false;
  const destinations = new Map<string, Destination>();
  const before = snapshot(session.requestLog.rows());
  const progress = ctx.progress();
  let reports: SyncReport[];
  try {
    reports = await runReverse({
      syncs,
      warehouse: session.warehouse,
      runId: session.runId,
      log,
      dryRun,
      signal: run.signal,
      requestsTo: (crm) => session.requestLog.total(crm),
      pushLogRetentionDays: session.config.reverse.pushLogRetentionDays,
      destination: (crm) => {
        let entry = destinations.get(crm);
        if (entry === undefined) {
          const source = session.sources.find((s) => s.config.name === crm);
          if (source === undefined) {
            throw new TideError('not_found', `sync target "${crm}" is not among this session's sources`, {
              hint: 'run without --source, or include the CRM the sync writes to',
            });
          }
          entry = connectorFor(source.config.kind).createDestination(source.config, source.deps);
          destinations.set(crm, entry);
        }
        return entry;
      },
      onProgress: (sync, records) => progress.page(`sync ${sync}`, records),
      rawTables: (crm, object) => freshRawTable(session, selection.extracted ?? [], crm, object),
    });
  } finally {
    progress.stop();
  }
  const delta = requestDelta(before, session.requestLog.rows());
  if (delta.length > 0) await session.warehouse.recordRequests(session.runId, delta);

  run.tally.reverse(reports, new Map(reports.map((r) => [r.sync, r.requests ?? 0])));
  if (ctx.options.json) {
    for (const report of reports) log.info('reverse summary', { ...report, sync: report.sync });
  } else {
    ctx.print(formatReverseReport(reports, dryRun));
  }
  return exitCodeOf(reports);
}

/**
 * The raw table of a CRM object this run's extract completed (not partial: records it did not reach
 * could hide an edit), with the stream's columns to find each synced field in it.
 */
async function freshRawTable(
  session: PipelineSession,
  extracted: readonly StreamOutcome[],
  crm: string,
  object: string,
): Promise<RawTable | null> {
  const outcome = extracted.find(
    (o) => o.source === crm && o.status === 'ok' && o.stream.toLowerCase() === object.toLowerCase(),
  );
  const stream = session.sources
    .find((s) => s.config.name === crm)
    ?.source.streams()
    .find((s) => s.name === outcome?.stream);
  if (outcome === undefined || stream === undefined) return null;
  try {
    return {
      relation: session.warehouse.dialect.relation({ schema: 'raw', name: rawTableName(crm, stream.name) }),
      columns: await stream.columns(),
    };
  } catch {
    // Without the stream's columns the CRM is read back instead: slower, never wrong.
    return null;
  }
}

export function exitCodeOf(reports: readonly SyncReport[]): number {
  if (reports.some((r) => r.error !== null && isPartialCode(r.error.code))) return ExitCode.partial;
  if (reports.some((r) => r.status === 'failed' || r.status === 'check-failed' || r.rejectRateExceeded)) {
    return ExitCode.failure;
  }
  return ExitCode.ok;
}

function key(r: Omit<RequestCount, 'count'>): string {
  return `${r.source}\u0000${r.endpoint}\u0000${r.status}`;
}

function snapshot(rows: readonly RequestCount[]): Map<string, number> {
  return new Map(rows.map((r) => [key(r), r.count]));
}

/** The session's request log is cumulative; extraction already recorded its share of it. */
function requestDelta(before: ReadonlyMap<string, number>, after: readonly RequestCount[]): RequestCount[] {
  return after.map((r) => ({ ...r, count: r.count - (before.get(key(r)) ?? 0) })).filter((r) => r.count > 0);
}
