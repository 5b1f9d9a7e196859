import { Unzip, type UnzipFile, UnzipInflate } from 'fflate';
import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import { csvBlocks, csvRows } from '../../extract/csv-rows.js';
import { sleep } from '../../http/backoff.js';
import type { ZohoClient } from './zoho-client.js';
import type { ZohoRecordReader } from './zoho-record.js';
import { BulkCreatedSchema, type BulkJob, BulkJobSchema } from './zoho-schemas.js';
import { toZohoTime } from './zoho-time.js';

export interface BulkReadOptions {
  readonly client: ZohoClient;
  readonly module: string;
  readonly reader: ZohoRecordReader;
  /** Inclusive lower bound on Modified_Time (ms); null = every record. */
  readonly fromMs: number | null;
  readonly pollMs: number;
  readonly pollMaxMs: number;
  readonly timeoutMs: number;
  readonly batchSize: number;
  readonly signal?: AbortSignal;
  readonly onJob?: (jobId: string, page: number) => void;
}

/**
 * Reads a module through Bulk Read: one job per 200,000 rows (the next page is a new job, created as
 * soon as the previous one completes so Zoho prepares it during the download), each polled with
 * backoff until COMPLETED, its ZIP downloaded and inflated as it arrives (fflate's streaming
 * Unzip), its one CSV split into records as the text comes. Memory holds a download chunk, a block of
 * CSV text and one batch, never the file. Rows are counted against the job's `result.count`, so a
 * truncated file is an error rather than missing records.
 */
export async function* readBulk(o: BulkReadOptions): AsyncGenerator<SourceRecord[]> {
  let pending: Promise<BulkJob> | null = runJob(o, 1, undefined);
  let page = 1;
  while (pending !== null) {
    const job = await pending;
    pending = null;
    const result = job.result;
    if (result === undefined) {
      throw new TideError('malformed_response', `Zoho Bulk Read job ${job.id} completed without a result`);
    }
    if (result.more_records) {
      // Zoho builds the next page's file while this one downloads: the job runs in Zoho, not here.
      page++;
      pending = runJob(o, page, result.next_page_token ?? undefined);
      pending.catch(() => {});
    }
    let rows = 0;
    for await (const batch of jobRecords(o, job.id, result.download_url)) {
      rows += batch.length;
      yield batch;
    }
    if (rows !== result.count) {
      throw new TideError(
        'malformed_response',
        `Zoho Bulk Read job ${job.id} announced ${result.count} records but its file held ${rows}`,
        { hint: 'nothing from this job moved the cursor; rerun the extract' },
      );
    }
  }
}

async function runJob(o: BulkReadOptions, page: number, pageToken: string | undefined): Promise<BulkJob> {
  const signal = o.signal ? { signal: o.signal } : {};
  const fields = o.reader.fieldNames.filter((f) => f !== 'id');
  const created = await o.client.json(
    {
      method: 'POST',
      path: '/crm/bulk/v8/read',
      json: {
        query: {
          module: { api_name: o.module },
          fields,
          ...(o.fromMs === null
            ? {}
            : {
                criteria: {
                  api_name: 'Modified_Time',
                  comparator: 'greater_equal',
                  value: toZohoTime(o.fromMs),
                },
              }),
          ...(pageToken === undefined ? { page } : { page_token: pageToken }),
        },
        file_type: 'csv',
      },
      ...signal,
    },
    BulkCreatedSchema,
  );
  const id = created.data[0]!.details.id;
  o.onJob?.(id, page);
  const deadline = Date.now() + o.timeoutMs;
  let wait = o.pollMs;
  for (;;) {
    await sleep(wait, o.signal);
    const body = await o.client.json(
      { path: `/crm/bulk/v8/read/${id}`, endpoint: 'GET /crm/bulk/v8/read/{id}', ...signal },
      BulkJobSchema,
    );
    const job = body.data[0]!;
    if (job.state === 'COMPLETED') return job;
    if (job.state === 'FAILURE') {
      throw new TideError(
        'source_error',
        `Zoho Bulk Read job ${id} (${o.module}, page ${page}) ended in FAILURE`,
        {
          hint: 'nothing from this job was loaded and the cursor did not move; rerun the extract',
        },
      );
    }
    if (Date.now() + wait > deadline) {
      throw new TideError(
        'source_error',
        `Zoho Bulk Read job ${id} (${o.module}) still ${job.state} after ${Math.round(o.timeoutMs / 60_000)} minutes`,
        { hint: 'raise bulkTimeoutMinutes, or narrow the read with startDate' },
      );
    }
    wait = Math.min(wait * 2, o.pollMaxMs);
  }
}

async function* jobRecords(
  o: BulkReadOptions,
  jobId: string,
  downloadUrl: string,
): AsyncGenerator<SourceRecord[]> {
  const what = `Zoho Bulk Read file of job ${jobId}`;
  const res = await o.client.stream({
    path: new URL(downloadUrl, 'http://api.invalid').pathname,
    headers: { accept: 'application/zip' },
    endpoint: 'GET /crm/bulk/v8/read/{id}/result',
    ...(o.signal ? { signal: o.signal } : {}),
  });
  let columns: number[] | null = null;
  let width = 0;
  let batch: SourceRecord[] = [];
  for await (const block of csvBlocks(csvText(res.body, what))) {
    for (const row of csvRows(block, what)) {
      if (columns === null) {
        columns = o.reader.columnsOf(row);
        width = row.length;
        continue;
      }
      if (row.length !== width) {
        throw new TideError(
          'malformed_response',
          `${what}: a row has ${row.length} values for ${width} columns`,
        );
      }
      batch.push(o.reader.fromCsv(row, columns));
      if (batch.length >= o.batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** The text of the ZIP's one CSV entry, decompressed and decoded chunk by chunk as the bytes arrive. */
async function* csvText(zip: AsyncIterable<Uint8Array>, what: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const out: string[] = [];
  let entry: UnzipFile | null = null;
  let ended = false;
  let failure: unknown = null;
  const unzip = new Unzip((file) => {
    if (entry !== null || !file.name.toLowerCase().endsWith('.csv')) return;
    entry = file;
    file.ondata = (error, data, final) => {
      if (error) {
        failure = error;
        return;
      }
      out.push(decoder.decode(data, { stream: !final }));
      if (final) ended = true;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const drain = function* (): Generator<string> {
    if (failure !== null)
      throw new TideError('malformed_response', `${what} is not a readable ZIP: ${String(failure)}`);
    yield* out.splice(0);
  };
  for await (const chunk of zip) {
    unzip.push(chunk, false);
    yield* drain();
  }
  unzip.push(new Uint8Array(0), true);
  yield* drain();
  if (entry === null) throw new TideError('malformed_response', `${what} holds no CSV file`);
  if (!ended)
    throw new TideError('malformed_response', `${what} ended before its CSV did (truncated download)`);
}
