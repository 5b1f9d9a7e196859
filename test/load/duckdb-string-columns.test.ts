import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../core/record.js';
import { coerceValue } from '../../load/coerce-value.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';

/**
 * DuckDB stages string values of string columns as NULL and reads them back from `_tide_record` at
 * commit (one JSON parse per row instead of one appender call per value). Whatever the value and the
 * field name, the typed column must hold exactly what the JS coercion gives, as it did before.
 */
const NASTY_NAMES = ['"; drop table x; --', 'a/b', 'a~b', '~1', 'é ü', '', 'x.y', '$', 'Email', 'email'];
const VALUES: unknown[] = [
  'plain',
  '',
  ' spaced ',
  'x\u0000y',
  'line\nbreak\t"quoted" \\ back',
  '\u2028\u2029\u007f\u0080😀',
  'a\ud800b', // a lone surrogate (a direct caller of the warehouse; the extract door replaces it)
  '\\ud800 looks like an escape',
  42,
  -0,
  1e21,
  5e-324,
  0.1 + 0.2,
  -1.5e300,
  true,
  false,
  { nested: 'x\u0001y\u001f', n: [1e21, 1.5e-7], d: new Date(0) },
  ['a', 1, null, { '': {} }],
  new Date(86_400_000),
  12345678901234567890n,
  null,
  undefined,
];

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

describe('DuckDB string columns read from _tide_record', () => {
  it('hold exactly the JS coercion of every value, under any field name', async () => {
    const w = await openDuckdbWarehouse({ path: ':memory:' });
    await w.init();
    const fields = NASTY_NAMES.map((name, i) => ({ name, column: i }));
    const records: SourceRecord[] = VALUES.map((value, r) => ({
      id: `r${r}`,
      updatedAt: '2024-01-31T12:00:00.000Z',
      deleted: false,
      fields: Object.fromEntries(fields.map((f) => [f.name, value])),
    }));
    const pkg = await w.beginLoad({ source: 'src', stream: 'things', runId: 'run', replace: false });
    await pkg.ensureColumns(fields.map((f) => ({ name: f.name, type: 'string' as const })));
    await pkg.append(records);
    await pkg.commit(null);
    const columns = new Map<string, string>();
    for await (const row of w.query(
      `SELECT field_name, column_name FROM tide.columns WHERE table_name = 'src__things'`,
    ))
      columns.set(String(row.field_name), String(row.column_name));
    const rows = new Map<string, Readonly<Record<string, unknown>>>();
    for await (const row of w.query('SELECT * FROM raw.src__things')) rows.set(String(row._tide_id), row);
    for (const [r, value] of VALUES.entries()) {
      for (const f of fields) {
        const stored = rows.get(`r${r}`)?.[columns.get(f.name)!];
        // The appender writes text as UTF-8, so a lone surrogate is stored as U+FFFD either way.
        const expected = coerceValue(value, 'string')?.replace(LONE_SURROGATE, '\uFFFD') ?? null;
        expect({ value: String(value), field: f.name, stored }).toEqual({
          value: String(value),
          field: f.name,
          stored: expected,
        });
      }
    }
    await w.close();
  });
});
