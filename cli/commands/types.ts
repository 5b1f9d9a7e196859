import type { Command } from 'commander';
import { z } from 'zod';
import { ExitCode, TideError } from '../../core/tide-error.js';
import { commandAction } from '../command-action.js';
import { openPipelineSession } from '../pipeline-session.js';
import { modelInputs } from '../stages/models-stage.js';
import { TYPED_SCHEMAS, writeDatabaseTypes } from '../stages/types-stage.js';

const TypesOptions = z.object({
  out: z.string().min(1).optional(),
  schema: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).optional(),
});

/**
 * `tide types`: writes a TypeScript file with the Kysely `Database` interface of the warehouse
 * (raw, staging, analytics), column types as Tide's query path returns them, descriptions as doc
 * comments. `tide models run` writes it too (config models.typesFile).
 */
export function registerTypes(program: Command): void {
  program
    .command('types')
    .description('write the Kysely Database interface of the warehouse tables (typed queries in TypeScript)')
    .option('-o, --out <file>', 'the file to write (default: config models.typesFile, tide-database.ts)')
    .option('--schema <schema...>', `schemas to describe (default: ${TYPED_SCHEMAS.join(' ')})`)
    .action(
      commandAction(async (ctx, raw: unknown) => {
        const parsed = TypesOptions.safeParse(raw);
        if (!parsed.success) {
          throw new TideError('config_invalid', 'tide types: --schema takes lower-case schema names', {
            hint: 'e.g. tide types --schema analytics --out src/tide-database.ts',
          });
        }
        const config = await ctx.config();
        const out = parsed.data.out ?? config.models.typesFile ?? 'tide-database.ts';
        const session = await openPipelineSession(config, ctx.log, { sources: false, readOnly: true });
        try {
          const tables = await writeDatabaseTypes(
            session.warehouse,
            modelInputs(config).project,
            out,
            parsed.data.schema ?? TYPED_SCHEMAS,
          );
          ctx.result(`wrote ${out}: the Database interface of ${tables} tables and views`, {
            file: out,
            tables,
          });
          return ExitCode.ok;
        } finally {
          await session.close();
        }
      }),
    );
}
