import { ExitCode, TideError } from '../../core/tide-error.js';
import { type ExtractPlanItem, type ExtractSummary, runExtract } from '../../extract/run-extract.js';
import type { CliContext } from '../cli-context.js';
import type { PipelineSession } from '../pipeline-session.js';

export interface ExtractSelection {
  readonly source?: string | undefined;
  readonly stream?: string | undefined;
  readonly fullRefresh: boolean;
}

/** The extract stage as the CLI runs it: plan, extract → load, log request counts, print a summary. */
export async function extractStage(
  ctx: CliContext,
  session: PipelineSession,
  selection: ExtractSelection,
): Promise<ExtractSummary> {
  const plan: ExtractPlanItem[] = [];
  for (const { config, source } of session.sources) {
    if (selection.source !== undefined && config.name !== selection.source) continue;
    for (const stream of source.streams()) {
      if (selection.stream !== undefined && stream.name !== selection.stream) continue;
      plan.push({ source, stream, startDate: config.startDate ?? null, fullRefresh: selection.fullRefresh });
    }
  }
  if (plan.length === 0) {
    const known = session.sources.map(
      ({ config, source }) =>
        `${config.name}: ${source
          .streams()
          .map((s) => s.name)
          .join(', ')}`,
    );
    throw new TideError(
      'not_found',
      `nothing matches --source ${selection.source ?? '*'} --stream ${selection.stream ?? '*'}`,
      {
        hint: `configured streams: ${known.join('; ')}`,
      },
    );
  }
  const progress = ctx.progress();
  let summary: ExtractSummary;
  try {
    summary = await runExtract({
      runId: session.runId,
      warehouse: session.warehouse,
      plan,
      concurrency: session.config.extract.concurrency,
      checkpointEvery: session.config.extract.checkpointEvery,
      log: ctx.log,
      progress,
    });
  } finally {
    progress.stop();
  }
  await session.warehouse.recordRequests(session.runId, session.requestLog.rows());
  printSummary(ctx, summary);
  return summary;
}

export function exitCodeFor(summary: ExtractSummary): number {
  return summary.status === 'ok'
    ? ExitCode.ok
    : summary.status === 'partial'
      ? ExitCode.partial
      : ExitCode.failure;
}

function printSummary(ctx: CliContext, summary: ExtractSummary): void {
  if (ctx.options.json) {
    ctx.log.info('extract summary', {
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
