import type { Command } from 'commander';
import { commandAction } from '../command-action.js';
import { openPipelineSession } from '../pipeline-session.js';
import { exitCodeFor, extractStage } from '../stages/extract-stage.js';
import { modelsStage } from '../stages/models-stage.js';
import { reverseStage } from '../stages/reverse-stage.js';

/**
 * `tide run`: every configured stage in order. Later stages run only when extraction did not fail, so
 * models never build on a half-failed load without saying so.
 */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run every configured stage: extract → load → models → reverse ETL')
    .action(
      commandAction(async (ctx) => {
        const config = await ctx.config();
        const session = await openPipelineSession(config, ctx.log);
        try {
          const summary = await extractStage(ctx, session, { fullRefresh: false });
          const extracted = exitCodeFor(summary);
          if (summary.status === 'failed' || !config.models.runAfterExtract) return extracted;
          // A partial extract (quota) committed consistent data: model it, and still exit partial.
          const modeled = await modelsStage(ctx, session);
          // Scores from models that failed to build (or failed their tests) are not pushed to a CRM.
          if (modeled !== 0) return extracted !== 0 ? extracted : modeled;
          const pushed = await reverseStage(ctx, session);
          return extracted !== 0 ? extracted : pushed;
        } finally {
          await session.close();
        }
      }),
    );
}
