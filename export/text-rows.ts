import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';

type Rows = AsyncIterable<Readonly<Record<string, unknown>>>;

/** Where text output goes, one line at a time; a promise when the sink needs the writer to wait. */
export type LineSink = (line: string) => void | Promise<void>;

/** How one value reads as text: NULL for null, JSON for objects and arrays, ISO for dates. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, jsonBigint);
  return String(value);
}

function jsonBigint(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** CSV with a header row; NULL is an empty cell. Returns the number of rows written. */
export async function writeCsv(rows: Rows, sink: LineSink): Promise<number> {
  let header: string[] | null = null;
  let count = 0;
  for await (const row of rows) {
    if (header === null) {
      header = Object.keys(row);
      await sink(stringify([header]).trimEnd());
    }
    const cells = header.map((k) => (row[k] === null || row[k] === undefined ? '' : formatCell(row[k])));
    await sink(stringify([cells]).trimEnd());
    count++;
  }
  return count;
}

/** A JSON array, one row per line, streamed. Returns the number of rows written. */
export async function writeJson(rows: Rows, sink: LineSink): Promise<number> {
  let count = 0;
  for await (const row of rows) {
    await sink(`${count === 0 ? '[' : ','}${JSON.stringify(row, jsonBigint)}`);
    count++;
  }
  await sink(count === 0 ? '[]' : ']');
  return count;
}

/** Lines into a stream, waiting for it to drain so a large export never piles up in memory. */
export function streamSink(out: Writable): LineSink {
  return async (line) => {
    if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
}
