import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BIGQUERY_API_TYPES } from '../../load/bigquery/bigquery-types.js';
import { LoadRowEncoder } from '../../load/bigquery/load-row-encoder.js';
import { NdjsonLoadFile } from '../../load/bigquery/ndjson-load-file.js';
import type { MappedColumn } from '../../load/column-mapping.js';
import { COERCION_CASES } from '../conformance/coercion-cases.js';
import type { FieldType } from './bigquery-rest-shapes.js';
import { checkNdjson } from './ndjson-check.js';

/**
 * The load file: each record becomes one NDJSON line that BigQuery's JSON reader accepts for the
 * staging schema, carrying exactly the coerced values DuckDB stores (the shared coercion table).
 */
const columns: MappedColumn[] = COERCION_CASES.map((c, i) => ({
  field: `c${i}`,
  column: `c${i}`,
  type: c.type,
}));
const schema = [
  { name: '_tide_seq', type: 'INTEGER' as const },
  { name: '_tide_id', type: 'STRING' as const },
  { name: '_tide_updated_at', type: 'TIMESTAMP' as const },
  { name: '_tide_deleted', type: 'BOOLEAN' as const },
  { name: '_tide_record', type: 'JSON' as const },
  ...columns.map((c) => ({ name: c.column, type: BIGQUERY_API_TYPES[c.type] as FieldType })),
];

describe('load rows (NDJSON for BigQuery)', () => {
  it('encodes every coercion case so BigQuery reads back the value DuckDB stores', () => {
    const encoder = new LoadRowEncoder(columns);
    const fields = Object.fromEntries(COERCION_CASES.map((c, i) => [`c${i}`, c.input]));
    const line = encoder.encode({ id: '1', updatedAt: '2024-03-01T10:00:00Z', deleted: false, fields }, 5);
    const { rows, errors } = checkNdjson(`${line}\n`, schema, false);
    expect(errors).toEqual([]);
    const row = rows[0]!;
    expect(row).toMatchObject({
      _tide_seq: 5,
      _tide_id: '1',
      _tide_updated_at: '2024-03-01T10:00:00.000Z',
      _tide_deleted: false,
    });
    expect(row._tide_record).toEqual(fields);
    COERCION_CASES.forEach((c, i) => {
      // A NULL is an absent key; JSON columns hold the value itself, not a string with JSON in it.
      expect({ case: c, got: row[`c${i}`] ?? null }).toEqual({ case: c, got: c.expected });
    });
  });

  it('quotes integers beyond 2^53, as BigQuery requires for exact INT64 loads', () => {
    const encoder = new LoadRowEncoder([{ field: 'n', column: 'n', type: 'integer' }]);
    const line = encoder.encode(
      { id: '1', updatedAt: '2024-03-01T10:00:00Z', deleted: false, fields: { n: '9223372036854775807' } },
      0,
    );
    expect(line).toContain('"n":"9223372036854775807"');
    expect(checkNdjson(line, [{ name: 'n', type: 'INTEGER' }], true).errors).toEqual([]);
    // The check itself catches the unquoted form it would corrupt.
    expect(checkNdjson('{"n":9223372036854775807}', [{ name: 'n', type: 'INTEGER' }], false).errors).toEqual([
      'line 1, field n: integer beyond 2^53 must be quoted',
    ]);
  });

  it('keeps hostile ids and values inside their JSON strings', () => {
    const encoder = new LoadRowEncoder([{ field: 'x', column: 'x', type: 'string' }]);
    const line = encoder.encode(
      {
        id: '"}\n{"_tide_id":"evil',
        updatedAt: '2024-03-01T10:00:00Z',
        deleted: true,
        fields: { x: 'a\nb"c' },
      },
      0,
    );
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({
      _tide_id: '"}\n{"_tide_id":"evil',
      x: 'a\nb"c',
      _tide_deleted: true,
    });
  });

  it('writes a gzip file batch by batch and deletes it on discard', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-ndjson-'));
    const file = NdjsonLoadFile.create(join(dir, 'a.ndjson.gz'));
    const encoder = new LoadRowEncoder([{ field: 'v', column: 'v', type: 'string' }]);
    // Batches of 50 lines, the way a package writes each appended batch.
    for (let start = 0; start < 2000; start += 50) {
      const lines = Array.from({ length: 50 }, (_, k) =>
        encoder.encode(
          {
            id: String(start + k),
            updatedAt: '2024-03-01T10:00:00Z',
            deleted: false,
            fields: { v: 'x'.repeat(100) },
          },
          start + k,
        ),
      );
      await file.writeLines(lines);
    }
    await file.close();
    expect(file.rows).toBe(2000);
    const compressed = await stat(file.path);
    const text = gunzipSync(await readFile(file.path)).toString('utf8');
    expect(Buffer.byteLength(text)).toBe(file.bytes);
    expect(compressed.size).toBeLessThan(file.bytes / 4);
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)._tide_seq),
    ).toEqual([...Array(2000).keys()]);

    const other = NdjsonLoadFile.create(join(dir, 'b.ndjson.gz'));
    await other.writeLines(['{}']);
    await other.discard();
    await expect(stat(other.path)).rejects.toThrow();
    await rm(dir, { recursive: true });
  });
});
