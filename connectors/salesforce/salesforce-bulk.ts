import { TideError } from '../../core/tide-error.js';
import { sleep } from '../../http/backoff.js';
import type { SalesforceClient, Timed } from './salesforce-client.js';
import { type BulkJob, BulkJobSchema } from './salesforce-schemas.js';

export interface BulkResultsPage {
  /** One CSV document: a header line, then up to maxRecords rows. */
  readonly csv: string;
  readonly records: number;
}

/**
 * Bulk API 2.0 query jobs: create, poll until JobComplete, then read the CSV results page by page,
 * following `Sforce-Locator` until it is the literal `null`. (jsforce's own bulk2 reader breaks on a
 * second page, so Tide pages itself.)
 */
export class SalesforceBulk {
  readonly #client: SalesforceClient;

  constructor(client: SalesforceClient) {
    this.#client = client;
  }

  create(soql: string, operation: 'query' | 'queryAll', signal?: AbortSignal): Promise<Timed<BulkJob>> {
    return this.#client.json(
      {
        method: 'POST',
        path: `${this.#client.apiPath}/jobs/query`,
        json: { operation, query: soql, contentType: 'CSV', columnDelimiter: 'COMMA', lineEnding: 'LF' },
        ...(signal ? { signal } : {}),
      },
      BulkJobSchema,
    );
  }

  /** Polls until the job completes; a Failed or Aborted job is an error naming the job and Salesforce's reason. */
  async waitFor(
    job: BulkJob,
    what: string,
    options: { readonly pollMs: number; readonly timeoutMs: number; readonly signal?: AbortSignal },
  ): Promise<BulkJob> {
    const deadline = Date.now() + options.timeoutMs;
    let wait = options.pollMs;
    let current = job;
    for (;;) {
      current = (
        await this.#client.json(
          {
            path: `${this.#client.apiPath}/jobs/query/${job.id}`,
            ...(options.signal ? { signal: options.signal } : {}),
          },
          BulkJobSchema,
        )
      ).value;
      if (current.state === 'JobComplete') return current;
      if (current.state === 'Failed' || current.state === 'Aborted') {
        throw new TideError(
          'source_error',
          `Salesforce Bulk API 2.0 query job ${job.id} (${what}) ended ${current.state}: ${current.errorMessage ?? 'Salesforce gave no reason'}`,
          { hint: 'nothing from this job was loaded and the cursor did not move; rerun the extract' },
        );
      }
      if (Date.now() + wait > deadline) {
        await this.abort(job.id);
        throw new TideError(
          'source_error',
          `Salesforce Bulk API 2.0 query job ${job.id} (${what}) still ${current.state} after ${Math.round(options.timeoutMs / 60_000)} minutes; aborted it`,
          { hint: 'raise bulkTimeoutMinutes, or narrow the read with startDate' },
        );
      }
      await sleep(wait, options.signal);
      wait = Math.min(wait * 1.5, options.pollMs * 10);
    }
  }

  /** The results, one page per request; `maxRecords` bounds each page's size. */
  async *results(
    jobId: string,
    options: { readonly maxRecords: number; readonly signal?: AbortSignal },
  ): AsyncGenerator<BulkResultsPage> {
    let locator: string | null = null;
    const seen = new Set<string>();
    for (;;) {
      const res = await this.#client.request({
        path: `${this.#client.apiPath}/jobs/query/${jobId}/results`,
        query: { locator: locator ?? undefined, maxRecords: options.maxRecords },
        headers: { accept: 'text/csv' },
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const next = res.headers.get('sforce-locator');
      if (next === null) {
        throw new TideError(
          'malformed_response',
          `Salesforce Bulk results page of job ${jobId} came without Sforce-Locator`,
        );
      }
      const count = Number(res.headers.get('sforce-numberofrecords') ?? Number.NaN);
      yield { csv: res.text, records: Number.isFinite(count) ? count : -1 };
      if (next === 'null' || next === '') return;
      if (seen.has(next))
        throw new TideError('pagination_loop', `Salesforce repeated the Bulk results locator ${next}`);
      seen.add(next);
      locator = next;
    }
  }

  /** Best effort: a job Tide gave up on should not keep running in the org. */
  async abort(jobId: string): Promise<void> {
    try {
      await this.#client.request({
        method: 'PATCH',
        path: `${this.#client.apiPath}/jobs/query/${jobId}`,
        json: { state: 'Aborted' },
      });
    } catch {
      // The job may have finished meanwhile; the original problem is what the user needs to see.
    }
  }
}
