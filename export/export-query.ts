import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { TideError } from '../core/tide-error.js';
import type { Warehouse } from '../load/warehouse.js';
import { describeResult } from './arrow-columns.js';
import { writeArrowIpc } from './arrow-ipc.js';
import { streamSink, writeCsv, writeJson } from './text-rows.js';

export type ExportFormat = 'parquet' | 'csv' | 'arrow' | 'json';

/**
 * Writes a query's result to a file. Parquet and CSV on DuckDB go through DuckDB's own writers
 * (COPY … TO: columnar, compressed, typed); Arrow IPC through apache-arrow, batch by batch; JSON and,
 * on BigQuery, CSV by streaming rows. A local file is written beside its final name and renamed into
 * place when complete, so a failed export never leaves half a file. On BigQuery, Parquet is
 * BigQuery's own EXPORT DATA into Cloud Storage (`--out gs://bucket/path-*.parquet`): BigQuery cannot
 * write a local file. Returns the row count (null when the warehouse does not report it).
 */
export async function exportQuery(
  warehouse: Warehouse,
  sql: string,
  format: ExportFormat,
  out: string,
): Promise<number | null> {
  const select = sql.trim().replace(/;+\s*$/, '');
  if (out.startsWith('gs://')) return exportToCloudStorage(warehouse, select, format, out);
  const partial = join(dirname(out), `.${basename(out)}.tide-partial`);
  try {
    const rows = await writeLocal(warehouse, select, format, partial);
    await rename(partial, out);
    return rows;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

async function writeLocal(
  warehouse: Warehouse,
  select: string,
  format: ExportFormat,
  file: string,
): Promise<number | null> {
  const writeFile = warehouse.dialect.writeFile?.bind(warehouse.dialect);
  if (writeFile !== undefined && (format === 'parquet' || format === 'csv')) {
    for await (const row of warehouse.query(writeFile(select, file, format))) {
      return Number(Object.values(row)[0]);
    }
    return null;
  }
  if (format === 'parquet') {
    throw new TideError('config_invalid', 'BigQuery writes Parquet only into Cloud Storage', {
      hint: 'use --out gs://bucket/path-*.parquet, or --format arrow / csv for a local file',
    });
  }
  const stream = createWriteStream(file);
  try {
    const rows = warehouse.query(select);
    let count: number;
    if (format === 'arrow')
      count = await writeArrowIpc(rows, stream, await describeResult(warehouse, select));
    else if (format === 'csv') count = await writeCsv(rows, streamSink(stream));
    else count = await writeJson(rows, streamSink(stream));
    stream.end();
    await finished(stream);
    return count;
  } catch (error) {
    stream.destroy();
    throw error;
  }
}

async function exportToCloudStorage(
  warehouse: Warehouse,
  select: string,
  format: ExportFormat,
  uri: string,
): Promise<null> {
  const exportToStorage = warehouse.dialect.exportToStorage?.bind(warehouse.dialect);
  if (exportToStorage === undefined || (format !== 'parquet' && format !== 'csv')) {
    throw new TideError('config_invalid', `a gs:// destination is for BigQuery exports as parquet or csv`, {
      hint: 'write a local file with --out FILE',
    });
  }
  if (!uri.includes('*')) {
    throw new TideError('config_invalid', `BigQuery's EXPORT DATA needs one * in the URI (${uri})`, {
      hint: 'e.g. --out gs://bucket/customers-*.parquet: BigQuery numbers the files it writes',
    });
  }
  await warehouse.execute(exportToStorage(select, uri, format));
  return null;
}
