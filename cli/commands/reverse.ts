import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../command-action.js';
import { openPipelineSession } from '../pipeline-session.js';
import { reverseStage } from '../stages/reverse-stage.js';

const ReverseFlags = z.object({
  dryRun: z.boolean().default(false),
  sync: z.array(z.string().min(1)).default([]),
});

/**
 * `tide reverse`: push the configured syncs' changed rows back into the CRMs. `--dry-run` prints the
 * plan (counts and field-level diffs) and writes nothing.
 */
export function registerReverse(program: Command): void {
  program
    .command('reverse')
    .description('push changed model rows back into the CRMs (the syncs in the config)')
    .option('--dry-run', 'print the plan (counts per sync, sample diffs) and write nothing')
    .option('--sync <names...>', 'only these syncs')
    .action(
      commandAction(async (ctx, rawFlags: unknown) => {
        const flags = ReverseFlags.parse(rawFlags);
        const config = await ctx.config();
        const session = await openPipelineSession(config, ctx.log);
        try {
          return await reverseStage(ctx, session, { dryRun: flags.dryRun, syncs: flags.sync });
        } finally {
          await session.close();
        }
      }),
    );
}
