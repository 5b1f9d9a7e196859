import type { Command } from 'commander';
import { z } from 'zod';
import { ExitCode, TideError } from '../../core/tide-error.js';
import { formatCell, writeCsv, writeJson } from '../../export/text-rows.js';
import type { CliContext } from '../cli-context.js';
import { commandAction } from '../command-action.js';
import { openPipelineSession } from '../pipeline-session.js';
import { assertReadOnlySql, isReadOnlyRefusal } from '../read-only-sql.js';
import { formatTable } from '../stages/extract-stage.js';

const SqlOptions = z.object({
  format: z.enum(['table', 'csv', 'json', 'arrow']).default('table'),
  maxRows: z.coerce.number().int().positive().default(200),
  write: z.boolean().default(false),
  out: z.string().min(1).optional(),
});

/**
 * `tide sql "<query>"`: runs one query on the warehouse. `table` (default) prints an aligned table of
 * at most --max-rows rows (and says how many more there were); `csv`, `json` and `arrow` (an Arrow
 * IPC file: pipe it, or --out FILE) stream every row.
 * Read-only unless --write: statements that are not queries are refused before anything runs, and
 * DuckDB opens the file READ_ONLY (a `drop table raw.…` would break every later extract of it).
 */
export function registerSql(program: Command): void {
  program
    .command('sql')
    .description(
      'run a SQL query on the warehouse (e.g. tide sql "select * from analytics.customers limit 10")',
    )
    .argument('<query>', 'the SQL to run')
    .option('-f, --format <format>', 'table, csv, json or arrow (Arrow IPC file)', 'table')
    .option('--max-rows <n>', 'rows shown in table format', '200')
    .option('-o, --out <file>', 'write csv, json or arrow output to this file instead of stdout')
    .option('--write', 'allow DDL and DML (CREATE, DROP, INSERT, UPDATE, DELETE, COPY …)', false)
    .action(
      commandAction(async (ctx, query: string, raw: unknown) => {
        const parsed = SqlOptions.safeParse(raw);
        if (!parsed.success) {
          throw new TideError(
            'config_invalid',
            `tide sql: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
            {
              hint: '--format table|csv|json|arrow, --max-rows <positive number>, --out FILE, --write',
            },
          );
        }
        const options = parsed.data;
        if (options.format === 'arrow' && options.out === undefined && process.stdout.isTTY === true) {
          throw new TideError('config_invalid', 'tide sql --format arrow writes a binary file', {
            hint: 'add --out FILE, or redirect stdout: tide sql "…" --format arrow > result.arrow',
          });
        }
        if (options.format === 'table' && options.out !== undefined) {
          throw new TideError('config_invalid', 'tide sql --out needs --format csv, json or arrow');
        }
        if (options.write) ctx.log.warn('tide sql --write: this statement may change the warehouse');
        else assertReadOnlySql(query);
        const session = await openPipelineSession(await ctx.config(), ctx.log, {
          sources: false,
          readOnly: !options.write,
          runId: ctx.runId,
          waitSeconds: ctx.options.wait,
        });
        try {
          const { warehouse } = session;
          // Arrow (apache-arrow) loads only when asked for: `tide sql "select 1"` starts without it.
          if (options.out !== undefined && options.format !== 'table') {
            const { exportQuery } = await import('../../export/export-query.js');
            const rows = await exportQuery(warehouse, query, options.format, options.out);
            ctx.log.info(`wrote ${rows ?? 'the'} rows to ${options.out}`);
          } else if (ctx.options.json && options.format !== 'arrow') {
            await logRows(ctx, warehouse.query(query));
          } else if (options.format === 'arrow') {
            const { describeResult } = await import('../../export/arrow-columns.js');
            const { writeArrowIpc } = await import('../../export/arrow-ipc.js');
            await writeArrowIpc(
              warehouse.query(query),
              process.stdout,
              await describeResult(warehouse, query),
            );
          } else if (options.format === 'json') {
            await writeJson(warehouse.query(query), ctx.print);
          } else if (options.format === 'csv') {
            await writeCsv(warehouse.query(query), ctx.print);
          } else {
            await printTable(ctx.print, warehouse.query(query), options.maxRows);
          }
          return ExitCode.ok;
        } catch (error) {
          if (!options.write && isReadOnlyRefusal(error)) {
            throw new TideError('permission_denied', 'tide sql is read-only: the warehouse refused a write', {
              hint: 'add --write to run DDL or DML',
              cause: error,
            });
          }
          throw error;
        } finally {
          await session.close();
        }
      }),
    );
}

type Print = (text: string) => void;

/** Under --json every line is a log line: each row is one (`msg: "row"`), the summary counts them. */
async function logRows(ctx: CliContext, rows: Rows): Promise<void> {
  let n = 0;
  for await (const row of rows) {
    ctx.log.info('row', { row });
    n++;
  }
  ctx.invocation.count({ rows: n });
}
type Rows = AsyncIterable<Readonly<Record<string, unknown>>>;

async function printTable(print: Print, rows: Rows, maxRows: number): Promise<void> {
  let header: string[] | null = null;
  const shown: string[][] = [];
  let total = 0;
  for await (const row of rows) {
    header ??= Object.keys(row);
    total++;
    if (shown.length < maxRows) shown.push(header.map((k) => formatCell(row[k]).replace(/\s*\n\s*/g, ' ')));
  }
  if (header === null) {
    print('(no rows)');
    return;
  }
  print(formatTable(header, shown));
  print(
    total > shown.length
      ? `(${total} rows, first ${shown.length} shown: use --format csv for all)`
      : `(${total} row${total === 1 ? '' : 's'})`,
  );
}
