import type { PipelineConfig } from '../config/schema.js';
import { ExitCode, isTideError } from '../core/tide-error.js';
import { sendAlert } from '../ops/alerts/send-alert.js';
import { type Breach, findBreaches } from '../ops/health/breaches.js';
import type { HealthData } from '../ops/health/health-data.js';
import { loadHealthData } from '../ops/health/load-health-data.js';
import { writeReport } from '../ops/report/write-report.js';
import { RunHistory } from '../ops/runs/run-history.js';
import { type RunRecord, totalsOf } from '../ops/runs/run-record.js';
import { RunTally } from '../ops/runs/run-tally.js';
import type { CliContext } from './cli-context.js';
import { statusOf } from './invocation.js';
import { openPipelineSession, type PipelineSession, type SessionOptions } from './pipeline-session.js';

/** What a stage of a tracked command works with. */
export interface TrackedRun {
  readonly session: PipelineSession;
  /** Where the stages report what they did, for the run's `tide.runs` row. */
  readonly tally: RunTally;
  /** Aborted by SIGINT / SIGTERM: stages finish or roll back what is in flight and stop. */
  readonly signal: AbortSignal;
}

export interface TrackedRunOptions {
  /** As typed: `run`, `extract`, `models run`, `reverse`. */
  readonly command: string;
  readonly session?: Omit<SessionOptions, 'runId' | 'waitSeconds'>;
  /** `--report [file]`: write the health report after the run (true: config health.reportFile). */
  readonly report?: string | boolean | undefined;
}

/**
 * One pipeline invocation, recorded: a 'running' row in `tide.runs` as it starts, the stages, then
 * the final row with status, exit code, per-stage counts and the error summary; runs past their
 * retention are pruned. Then, never failing the run: the health report (`--report`) and the alert
 * (config `alerts`). SIGINT / SIGTERM stop it gracefully as partial (exit 3).
 */
export async function trackedRun(
  ctx: CliContext,
  config: PipelineConfig,
  options: TrackedRunOptions,
  body: (run: TrackedRun) => Promise<number>,
): Promise<number> {
  const signal = ctx.invocation.stopSignal(ctx.log);
  const session = await openPipelineSession(config, ctx.log, {
    ...options.session,
    runId: ctx.runId,
    waitSeconds: ctx.options.wait,
  });
  const startedAt = ctx.invocation.startedAt;
  const history = new RunHistory(session.warehouse);
  const tally = new RunTally();
  let thrown: unknown = null;
  let code: number;
  try {
    await housekeeping(ctx, 'could not record the run start in tide.runs', () =>
      history.start({ runId: ctx.runId, command: options.command, startedAt }),
    );
    try {
      code = await body({ session, tally, signal });
    } catch (error) {
      thrown = error;
      tally.fatal(error);
      code =
        isTideError(error) && error.code === 'config_invalid' ? ExitCode.invalidConfig : ExitCode.failure;
    }
    // Stopped on purpose: what committed is consistent and the next run continues, so the run is
    // partial, whatever errors the stop itself caused in the work in flight (listed in the summary).
    if (signal.aborted && code !== ExitCode.invalidConfig) code = ExitCode.partial;
    tally.requests(session.requestLog.rows());
    const record: RunRecord = {
      runId: ctx.runId,
      command: options.command,
      status: statusOf(code),
      startedAt,
      finishedAt: new Date(),
      exitCode: code,
      counts: tally.counts(),
      errorSummary: tally.errorSummary(),
    };
    await housekeeping(ctx, 'could not record the run in tide.runs', async () => {
      await history.finish(record);
      await history.prune(config.runs.retentionDays);
    });
    await afterRun(ctx, config, session, record, options.report);
    summarize(ctx, record);
  } finally {
    await session.close();
  }
  if (thrown !== null) throw thrown;
  return code;
}

/** The report and the alert: both read the health data once; neither can fail the run. */
async function afterRun(
  ctx: CliContext,
  config: PipelineConfig,
  session: PipelineSession,
  record: RunRecord,
  report: string | boolean | undefined,
): Promise<void> {
  const wantReport = report !== undefined && report !== false;
  if (!wantReport && config.alerts === undefined) return;
  let data: HealthData | null = null;
  let breaches: Breach[] = [];
  await housekeeping(ctx, 'could not read the health data', async () => {
    data = await loadHealthData(session.warehouse, config.health.reportRuns);
    breaches = findBreaches(data, config.health.thresholds);
  });
  if (wantReport && data !== null) {
    const health: HealthData = data;
    await housekeeping(ctx, 'could not write the report', () => {
      const written = writeReport({
        data: health,
        thresholds: config.health.thresholds,
        file: typeof report === 'string' ? report : config.health.reportFile,
        warehouse: describeWarehouse(config),
      });
      ctx.log.info(`wrote the health report to ${written.path}`, { breaches: written.breaches.length });
      return Promise.resolve();
    });
  }
  if (config.alerts !== undefined) {
    await sendAlert({
      config: config.alerts,
      run: record,
      breaches,
      env: process.env,
      log: ctx.log.child({ stage: 'alerts' }),
    });
  }
}

/** Bookkeeping that must not fail the run it keeps the books of: a failure is a warning. */
async function housekeeping(ctx: CliContext, what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    ctx.log.warn(what, { error: error instanceof Error ? error.message : String(error) });
  }
}

/** The closing line: for people on stderr, and the counts of the --json summary line. */
function summarize(ctx: CliContext, record: RunRecord): void {
  const totals = record.counts === null ? null : totalsOf(record.counts);
  ctx.invocation.count({ ...totals });
  if (ctx.options.json || totals === null || record.finishedAt === null) return;
  const seconds = (record.finishedAt.getTime() - record.startedAt.getTime()) / 1000;
  const parts = [
    `${totals.recordsLoaded.toLocaleString('en-US')} records loaded`,
    record.counts?.models ? `${totals.modelsBuilt} models built` : null,
    record.counts?.syncs.length
      ? `${totals.recordsWritten.toLocaleString('en-US')} written / ${totals.recordsRejected.toLocaleString('en-US')} rejected`
      : null,
    `${totals.apiCalls.toLocaleString('en-US')} API calls (${totals.apiErrors} errors)`,
  ].filter((p) => p !== null);
  ctx.invocation.terminal.line(
    `${record.command} ${record.runId}: ${record.status} (exit ${record.exitCode}) in ${seconds.toFixed(1)}s · ${parts.join(' · ')}`,
  );
}

/** `duckdb ./tide.duckdb`, `bigquery my-project`: where the data came from. */
export function describeWarehouse(config: PipelineConfig): string {
  const w: Readonly<Record<string, unknown>> = config.warehouse;
  const where = w.path ?? w.projectId;
  return typeof where === 'string' ? `${config.warehouse.kind} ${where}` : config.warehouse.kind;
}
