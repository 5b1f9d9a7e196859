import type { Command } from 'commander';
import { z } from 'zod';
import { TideError } from '../../core/tide-error.js';
import { commandAction } from '../command-action.js';
import { trackedRun } from '../run-lifecycle.js';
import { exitCodeFor, extractStage, planExtract } from '../stages/extract-stage.js';

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
        if (flags.source !== undefined && !config.sources.some((s) => s.name === flags.source)) {
          throw new TideError('config_invalid', `--source ${flags.source}: no source has that name`, {
            hint: `configured sources: ${config.sources.map((s) => s.name).join(', ')}`,
          });
        }
        const session = {
          ...(flags.source ? { only: flags.source } : {}),
          // A --source or --stream no source has exits 2 before the warehouse is touched.
          validate: (sources: Parameters<typeof planExtract>[0]) => void planExtract(sources, flags),
        };
        return trackedRun(ctx, config, { command: 'extract', session }, async (run) =>
          exitCodeFor(await extractStage(ctx, run, flags)),
        );
      }),
    );
}
