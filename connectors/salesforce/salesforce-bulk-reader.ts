import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import { csvRows } from '../../extract/csv-rows.js';
import { prefetch } from '../../extract/prefetch.js';
import type { SalesforceBulk } from './salesforce-bulk.js';
import type { SalesforceRecordReader } from './salesforce-record.js';

export interface BulkRead {
  readonly bulk: SalesforceBulk;
  readonly soql: string;
  readonly what: string;
  readonly operation: 'query' | 'queryAll';
  readonly reader: SalesforceRecordReader;
  readonly pageRecords: number;
  readonly pollMs: number;
  readonly timeoutMs: number;
  readonly batchSize: number;
  readonly signal?: AbortSignal;
  /** Called with the job id once Salesforce accepted the job (for logs). */
  readonly onJob?: (jobId: string) => void;
}

/**
 * Runs one Bulk API 2.0 query job and yields its records in batches. Results are read page by page
 * (maxRecords bounds a page) and each page row by row: memory holds two pages (the next one downloads
 * while this one is parsed) and one batch, never the result set. Each page's row count is checked
 * against Sforce-NumberOfRecords, so a truncated page is an error rather than silently missing records.
 */
export async function* readBulk(read: BulkRead): AsyncGenerator<SourceRecord[]> {
  const signal = read.signal ? { signal: read.signal } : {};
  const created = await read.bulk.create(read.soql, read.operation, read.signal);
  read.onJob?.(created.value.id);
  const job = await read.bulk.waitFor(created.value, read.what, {
    pollMs: read.pollMs,
    timeoutMs: read.timeoutMs,
    ...signal,
  });
  for await (const page of prefetch(read.bulk.results(job.id, { maxRecords: read.pageRecords, ...signal }))) {
    const what = `Salesforce Bulk results of job ${job.id}`;
    let columns: number[] | null = null;
    let width = 0;
    let rows = 0;
    let batch: SourceRecord[] = [];
    for (const row of csvRows(page.csv, what)) {
      if (columns === null) {
        columns = read.reader.columnsOf(row);
        width = row.length;
        continue;
      }
      if (row.length !== width) {
        throw new TideError(
          'malformed_response',
          `${what}: a row has ${row.length} values for ${width} columns`,
        );
      }
      rows++;
      batch.push(read.reader.fromCsv(row, columns));
      if (batch.length >= read.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (page.records >= 0 && rows !== page.records) {
      throw new TideError(
        'malformed_response',
        `${what}: the page announced ${page.records} records (Sforce-NumberOfRecords) but held ${rows}`,
      );
    }
    if (batch.length > 0) yield batch;
  }
}
