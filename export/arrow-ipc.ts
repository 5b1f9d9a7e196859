import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { type Data, makeBuilder, makeData, RecordBatch, RecordBatchFileWriter, Struct } from 'apache-arrow';
import { type ArrowColumn, arrowSchema, arrowType, arrowValue, inferKind } from './arrow-columns.js';

type Rows = AsyncIterable<Readonly<Record<string, unknown>>>;

/** Rows per record batch: big enough for columnar readers, small enough to keep memory flat. */
export const BATCH_ROWS = 10_000;

/**
 * Writes query rows as an Arrow IPC file (the "Feather v2" format pandas, polars, pyarrow and DuckDB
 * read as they are) to `out`, one record batch per BATCH_ROWS rows, so memory stays flat whatever
 * the row count. `columns` types the schema (DuckDB's DESCRIBE); without it each column is typed by
 * its values in the first batch. Returns the number of rows written.
 */
export async function writeArrowIpc(
  rows: Rows,
  out: Writable,
  columns: readonly ArrowColumn[] | null,
): Promise<number> {
  const writer = new RecordBatchFileWriter();
  const stream = writer.toNodeStream();
  stream.pipe(out, { end: false });
  let total = 0;
  let schemaColumns = columns;
  let pending: Readonly<Record<string, unknown>>[] = [];
  const flush = (): void => {
    if (pending.length === 0 && total > 0) return;
    schemaColumns ??= Object.keys(pending[0] ?? {}).map((name) => ({
      name,
      kind: inferKind(pending.map((r) => r[name])),
    }));
    writer.write(toBatch(schemaColumns, pending));
    total += pending.length;
    pending = [];
  };
  for await (const row of rows) {
    pending.push(row);
    if (pending.length >= BATCH_ROWS) flush();
  }
  // An empty result still gets its schema (one empty batch), so readers see the columns.
  if (pending.length > 0 || total === 0) flush();
  writer.finish();
  await finished(stream);
  return total;
}

function toBatch(
  columns: readonly ArrowColumn[],
  rows: readonly Readonly<Record<string, unknown>>[],
): RecordBatch {
  // The schema also carries field metadata (which text columns hold JSON).
  const schema = arrowSchema(columns);
  const children: Data[] = columns.map((column) => {
    const builder = makeBuilder({ type: arrowType(column.kind), nullValues: [null, undefined] });
    for (const row of rows) builder.append(arrowValue(column.kind, row[column.name]));
    return builder.finish().flush();
  });
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children }),
  );
}
