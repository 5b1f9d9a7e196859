import type { Command } from 'commander';
import { z } from 'zod';
import { ExitCode } from '../../core/tide-error.js';
import { commandAction } from '../command-action.js';
import { trackedRun } from '../run-lifecycle.js';
import { exitCodeFor, extractStage } from '../stages/extract-stage.js';
import { modelsStage } from '../stages/models-stage.js';
import { reverseStage } from '../stages/reverse-stage.js';

const RunFlags = z.object({ report: z.union([z.string().min(1), z.boolean()]).optional() });

/**
 * `tide run`: every configured stage in order. Later stages run only when extraction did not fail, so
 * models never build on a half-failed load without saying so. Recorded in `tide.runs`.
 */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run every configured stage: extract → load → models → reverse ETL')
    .option('--report [file]', 'write the health report afterwards (default file: config health.reportFile)')
    .action(
      commandAction(async (ctx, rawFlags: unknown) => {
        const flags = RunFlags.parse(rawFlags);
        const config = await ctx.config();
        return trackedRun(ctx, config, { command: 'run', report: flags.report }, async (run) => {
          const summary = await extractStage(ctx, run, { fullRefresh: false });
          const extracted = exitCodeFor(summary);
          // Stopped (SIGTERM): what was loaded is committed; models and pushes wait for the next run.
          if (run.signal.aborted) return ExitCode.partial;
          if (summary.status === 'failed' || !config.models.runAfterExtract) return extracted;
          // A partial extract (quota) committed consistent data: model it, and still exit partial.
          const modeled = await modelsStage(ctx, run);
          if (run.signal.aborted) return ExitCode.partial;
          // Scores from models that failed to build (or failed their tests) are not pushed to a CRM.
          if (modeled !== 0) return extracted !== 0 ? extracted : modeled;
          const pushed = await reverseStage(ctx, run, { extracted: summary.outcomes });
          return extracted !== 0 ? extracted : pushed;
        });
      }),
    );
}
