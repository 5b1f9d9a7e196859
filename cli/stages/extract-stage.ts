import { ExitCode, TideError } from '../../core/tide-error.js';
import { type ExtractPlanItem, type ExtractSummary, runExtract } from '../../extract/run-extract.js';
import type { CliContext } from '../cli-context.js';
import type { PipelineSession } from '../pipeline-session.js';
import type { TrackedRun } from '../run-lifecycle.js';

export interface ExtractSelection {
  readonly source?: string | undefined;
  readonly stream?: string | undefined;
  readonly fullRefresh: boolean;
}

/**
 * The streams a selection names, or a config error (exit 2) listing the valid names: checked when
 * the sources exist and before the warehouse is opened, so a typo touches nothing.
 */
export function planExtract(
  sources: PipelineSession['sources'],
  selection: ExtractSelection,
): ExtractPlanItem[] {
  if (selection.source !== undefined && !sources.some((s) => s.config.name === selection.source)) {
    throw new TideError('config_invalid', `--source ${selection.source}: no source has that name`, {
      hint: `configured sources: ${sources.map((s) => s.config.name).join(', ')}`,
    });
  }
  const plan: ExtractPlanItem[] = [];
  for (const { config, source } of sources) {
    if (selection.source !== undefined && config.name !== selection.source) continue;
    for (const stream of source.streams()) {
      if (selection.stream !== undefined && stream.name !== selection.stream) continue;
      plan.push({ source, stream, startDate: config.startDate ?? null, fullRefresh: selection.fullRefresh });
    }
  }
  if (plan.length === 0) {
    const known = sources
      .filter((s) => selection.source === undefined || s.config.name === selection.source)
      .map(
        ({ config, source }) =>
          `${config.name}: ${source
            .streams()
            .map((s) => s.name)
            .join(', ')}`,
      );
    throw new TideError(
      'config_invalid',
      `--stream ${selection.stream ?? '*'}: no ${selection.source ?? 'configured'} stream has that name`,
      { hint: `configured streams: ${known.join('; ')}` },
    );
  }
  return plan;
}

/** The extract stage as the CLI runs it: plan, extract → load, log request counts, print a summary. */
export async function extractStage(
  ctx: CliContext,
  run: TrackedRun,
  selection: ExtractSelection,
): Promise<ExtractSummary> {
  const { session } = run;
  const plan = planExtract(session.sources, selection);
  const log = ctx.log.child({ stage: 'extract' });
  const progress = ctx.progress();
  let summary: ExtractSummary;
  try {
    summary = await runExtract({
      runId: session.runId,
      warehouse: session.warehouse,
      plan,
      concurrency: session.config.extract.concurrency,
      checkpointEvery: session.config.extract.checkpointEvery,
      log,
      progress,
      signal: run.signal,
    });
  } finally {
    progress.stop();
  }
  run.tally.extract(summary);
  await session.warehouse.recordRequests(session.runId, session.requestLog.rows());
  const waits = session.rateLimitWaits;
  if (waits.waits > 0) {
    log.info(`waited out ${waits.waits} rate-limit answers`, {
      waitedSeconds: Math.round(waits.spentMs / 1000),
      budgetSeconds: Math.round(waits.budgetMs / 1000),
    });
  }
  printSummary(ctx, log, summary);
  return summary;
}

export function exitCodeFor(summary: ExtractSummary): number {
  return summary.status === 'ok'
    ? ExitCode.ok
    : summary.status === 'partial'
      ? ExitCode.partial
      : ExitCode.failure;
}

function printSummary(ctx: CliContext, log: CliContext['log'], summary: ExtractSummary): void {
  if (ctx.options.json) {
    log.info('extract summary', {
      runId: summary.runId,
      status: summary.status,
      streams: summary.outcomes,
    });
    return;
  }
  const rows = summary.outcomes.map((o) => [
    `${o.source}.${o.stream}`,
    o.status,
    String(o.records),
    String(o.deleted),
    String(o.loads),
    o.cursor?.value ?? '-',
    `${o.seconds.toFixed(1)}s`,
  ]);
  ctx.print(formatTable(['stream', 'status', 'records', 'deleted', 'loads', 'cursor', 'time'], rows));
  const failed = summary.outcomes.filter((o) => o.error);
  for (const o of failed) ctx.print(`${o.source}.${o.stream}: ${o.error?.code}: ${o.error?.message}`);
}

/** A plain aligned text table for terminals. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
