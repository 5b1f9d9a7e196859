import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { SalesforceBulk } from '../../crm/salesforce/salesforce-bulk.js';
import { TideError } from '../../errors/tide-error.js';
import type { SourceRecord } from '../source.js';
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
 * Runs one Bulk API 2.0 query job and yields its records in batches, parsing each CSV results page as
 * a stream: memory holds one page (bounded by maxRecords) and one batch, never the result set. Each
 * page's row count is checked against Sforce-NumberOfRecords, so a truncated page is an error
 * rather than silently missing records.
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
  for await (const page of read.bulk.results(job.id, { maxRecords: read.pageRecords, ...signal })) {
    let columns: number[] | null = null;
    let rows = 0;
    let batch: SourceRecord[] = [];
    const parser = Readable.from([page.csv]).pipe(parse({ bom: true, relax_column_count: false }));
    try {
      for await (const row of parser as AsyncIterable<string[]>) {
        if (columns === null) {
          columns = read.reader.columnsOf(row);
          continue;
        }
        rows++;
        batch.push(read.reader.fromCsv(row, columns));
        if (batch.length >= read.batchSize) {
          yield batch;
          batch = [];
        }
      }
    } catch (error) {
      if (error instanceof TideError) throw error;
      throw new TideError(
        'malformed_response',
        `Salesforce Bulk results of job ${job.id} are not valid CSV: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (page.records >= 0 && rows !== page.records) {
      throw new TideError(
        'malformed_response',
        `Salesforce Bulk results page of job ${job.id} announced ${page.records} records but held ${rows}`,
      );
    }
    if (batch.length > 0) yield batch;
  }
}
