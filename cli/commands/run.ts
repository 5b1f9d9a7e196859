import type { Command } from 'commander';
import { commandAction } from '../command-action.js';
import { exitCodeFor, extractStage } from '../extract-stage.js';
import { openPipelineSession } from '../pipeline-session.js';

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
          return exitCodeFor(summary);
        } finally {
          await session.close();
        }
      }),
    );
}
