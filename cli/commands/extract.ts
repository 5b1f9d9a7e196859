import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../command-action.js';
import { openPipelineSession } from '../pipeline-session.js';
import { exitCodeFor, extractStage } from '../stages/extract-stage.js';

const ExtractFlags = z.object({
  source: z.string().optional(),
  stream: z.string().optional(),
  fullRefresh: z.boolean().default(false),
});

export function registerExtract(program: Command): void {
  program
    .command('extract')
    .description('extract CRM records incrementally and load them into the warehouse')
    .option('-s, --source <name>', 'only this source (config name)')
    .option('--stream <name>', 'only this stream')
    .option(
      '--full-refresh',
      'ignore saved cursors: re-read everything; records no longer in the CRM are marked deleted',
    )
    .action(
      commandAction(async (ctx, rawFlags: unknown) => {
        const flags = ExtractFlags.parse(rawFlags);
        const config = await ctx.config();
        const session = await openPipelineSession(config, ctx.log, {
          ...(flags.source ? { only: flags.source } : {}),
        });
        try {
          return exitCodeFor(await extractStage(ctx, session, flags));
        } finally {
          await session.close();
        }
      }),
    );
}
