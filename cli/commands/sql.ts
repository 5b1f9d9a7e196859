import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { ExitCode, TideError } from '../../core/tide-error.js';
import { commandAction } from '../command-action.js';
import { openPipelineSession } from '../pipeline-session.js';
import { assertReadOnlySql, isReadOnlyRefusal } from '../read-only-sql.js';
import { formatTable } from '../stages/extract-stage.js';

const SqlOptions = z.object({
  format: z.enum(['table', 'csv', 'json']).default('table'),
  maxRows: z.coerce.number().int().positive().default(200),
  write: z.boolean().default(false),
});

/**
 * `tide sql "<query>"`: runs one query on the warehouse. `table` (default) prints an aligned table of
 * at most --max-rows rows (and says how many more there were); `csv` and `json` stream every row.
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
    .option('-f, --format <format>', 'table, csv or json', 'table')
    .option('--max-rows <n>', 'rows shown in table format', '200')
    .option('--write', 'allow DDL and DML (CREATE, DROP, INSERT, UPDATE, DELETE, COPY …)', false)
    .action(
      commandAction(async (ctx, query: string, raw: unknown) => {
        const parsed = SqlOptions.safeParse(raw);
        if (!parsed.success) {
          throw new TideError(
            'config_invalid',
            `tide sql: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
            {
              hint: '--format table|csv|json, --max-rows <positive number>, --write',
            },
          );
        }
        const options = parsed.data;
        if (options.write) ctx.log.warn('tide sql --write: this statement may change the warehouse');
        else assertReadOnlySql(query);
        const session = await openPipelineSession(await ctx.config(), ctx.log, {
          sources: false,
          readOnly: !options.write,
        });
        try {
          const rows = session.warehouse.query(query);
          if (options.format === 'json') await printJson(ctx.print, rows);
          else if (options.format === 'csv') await printCsv(ctx.print, rows);
          else await printTable(ctx.print, rows, options.maxRows);
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
type Rows = AsyncIterable<Readonly<Record<string, unknown>>>;

/** How one value reads in a cell: NULL for null, JSON for objects and arrays. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object')
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

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

async function printCsv(print: Print, rows: Rows): Promise<void> {
  let header: string[] | null = null;
  for await (const row of rows) {
    if (header === null) {
      header = Object.keys(row);
      print(stringify([header]).trimEnd());
    }
    const cells = header.map((k) => (row[k] === null || row[k] === undefined ? '' : formatCell(row[k])));
    print(stringify([cells]).trimEnd());
  }
}

async function printJson(print: Print, rows: Rows): Promise<void> {
  let first = true;
  for await (const row of rows) {
    print(
      `${first ? '[' : ','}${JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`,
    );
    first = false;
  }
  print(first ? '[]' : ']');
}
