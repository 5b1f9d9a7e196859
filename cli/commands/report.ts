import type { Command } from 'commander';
import { z } from 'zod';
import { ExitCode, TideError } from '../../core/tide-error.js';
import { loadHealthData } from '../../ops/health/load-health-data.js';
import { writeReport } from '../../ops/report/write-report.js';
import { commandAction } from '../command-action.js';
import { openPipelineSession } from '../pipeline-session.js';
import { describeWarehouse } from '../run-lifecycle.js';

const ReportOptions = z.object({
  out: z.string().min(1).optional(),
  runs: z.coerce.number().int().min(2).max(1_000).optional(),
});

/**
 * `tide report [--out FILE] [--runs N]`: the health report over the run history, one HTML file that
 * opens from disk (config `health`: thresholds, runs shown, file).
 */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write the health report: one HTML file with charts over the run history (works offline)')
    .option('-o, --out <file>', 'the file to write (default: config health.reportFile, tide-report.html)')
    .option('--runs <n>', 'how many of the latest runs to show (default: config health.reportRuns, 30)')
    .action(
      commandAction(async (ctx, raw: unknown) => {
        const parsed = ReportOptions.safeParse(raw);
        if (!parsed.success) {
          throw new TideError('config_invalid', 'tide report: --runs takes a whole number from 2 to 1000', {
            hint: 'e.g. tide report --runs 60 --out health.html',
          });
        }
        const config = await ctx.config();
        const session = await openPipelineSession(config, ctx.log, {
          sources: false,
          readOnly: true,
          runId: ctx.runId,
          waitSeconds: ctx.options.wait,
        });
        try {
          const data = await loadHealthData(session.warehouse, parsed.data.runs ?? config.health.reportRuns);
          const written = writeReport({
            data,
            thresholds: config.health.thresholds,
            file: parsed.data.out ?? config.health.reportFile,
            warehouse: describeWarehouse(config),
          });
          ctx.invocation.count({
            runs: data.runs.length,
            breaches: written.breaches.length,
            bytes: written.bytes,
          });
          ctx.log.info(`wrote ${written.path}: open it in a browser`, {
            runs: data.runs.length,
            breaches: written.breaches.length,
          });
          return ExitCode.ok;
        } finally {
          await session.close();
        }
      }),
    );
}
