import type { Command } from 'commander';
import { z } from 'zod';
import { selectSyncs } from '../../reverse/run-reverse.js';
import { commandAction } from '../command-action.js';
import { trackedRun } from '../run-lifecycle.js';
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
        // An unknown --sync exits 2, listing the configured ones, before anything is opened.
        selectSyncs(config.syncs, flags.sync);
        const command = flags.dryRun ? 'reverse --dry-run' : 'reverse';
        return trackedRun(ctx, config, { command }, (run) =>
          reverseStage(ctx, run, { dryRun: flags.dryRun, syncs: flags.sync }),
        );
      }),
    );
}
