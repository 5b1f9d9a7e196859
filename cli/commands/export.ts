import type { Command } from 'commander';
import { z } from 'zod';
import { ExitCode, TideError } from '../../core/tide-error.js';
import { exportQuery } from '../../export/export-query.js';
import { commandAction } from '../command-action.js';
import { openPipelineSession } from '../pipeline-session.js';
import { modelInputs } from '../stages/models-stage.js';

const ExportOptions = z.object({
  format: z.enum(['parquet', 'csv', 'arrow', 'json']),
  out: z.string().min(1),
});

/**
 * `tide export <model> --format parquet|csv|arrow|json --out FILE`: one model (or any table:
 * `raw.hubspot__contacts`) to a file for pandas, polars, DuckDB or a spreadsheet. Reads only: DuckDB
 * is opened read-only.
 */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a model (e.g. analytics.customers) to a Parquet, CSV, Arrow IPC or JSON file')
    .argument('<model>', 'a model name (customers, analytics.customers) or schema.table')
    .requiredOption('-f, --format <format>', 'parquet, csv, arrow (Arrow IPC file) or json')
    .requiredOption('-o, --out <file>', 'the file to write (BigQuery parquet: gs://bucket/path-*.parquet)')
    .action(
      commandAction(async (ctx, model: string, raw: unknown) => {
        const parsed = ExportOptions.safeParse(raw);
        if (!parsed.success) {
          throw new TideError(
            'config_invalid',
            `tide export: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
            { hint: '--format parquet|csv|arrow|json --out FILE' },
          );
        }
        const config = await ctx.config();
        const target = resolveRelation(model, modelInputs(config).project.models);
        const session = await openPipelineSession(config, ctx.log, { sources: false, readOnly: true });
        try {
          const dialect = session.warehouse.dialect;
          const rows = await exportQuery(
            session.warehouse,
            `SELECT * FROM ${dialect.relation(target)}`,
            parsed.data.format,
            parsed.data.out,
          );
          ctx.result(
            `wrote ${rows === null ? '' : `${rows} rows of `}${target.schema}.${target.name} to ${parsed.data.out} (${parsed.data.format})`,
            {
              model: `${target.schema}.${target.name}`,
              rows,
              file: parsed.data.out,
              format: parsed.data.format,
            },
          );
          return ExitCode.ok;
        } finally {
          await session.close();
        }
      }),
    );
}

/** `customers` → its model's schema; `analytics.customers` or `raw.hubspot__contacts` as written. */
function resolveRelation(
  name: string,
  models: ReadonlyMap<string, { readonly schema: string }>,
): { schema: string; name: string } {
  const parts = name.split('.');
  if (parts.length === 2 && parts.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) {
    return { schema: parts[0]!, name: parts[1]! };
  }
  const model = parts.length === 1 ? models.get(name) : undefined;
  if (!model) {
    throw new TideError('not_found', `no model named "${name}"`, {
      hint: 'name a model (customers, analytics.customers) or a table as schema.table',
    });
  }
  return { schema: model.schema, name };
}
