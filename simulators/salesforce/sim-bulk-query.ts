import { z } from 'zod';
import type { SimClock } from '../kit/sim-clock.js';
import type { SimResponse } from '../kit/sim-types.js';
import { mintId } from './salesforce-ids.js';
import type { SalesforceSimSettings } from './salesforce-settings.js';
import type { SalesforceStore } from './salesforce-store.js';
import { restDateTime } from './salesforce-time.js';
import { sfError } from './sim-errors.js';
import { csvHeader, csvLine } from './sobject-format.js';
import { type PreparedQuery, prepareQuery, QueryError, runQuery } from './soql-executor.js';

type JobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

interface QueryJob {
  readonly id: string;
  readonly operation: 'query' | 'queryAll';
  readonly prepared: PreparedQuery;
  readonly apiVersion: string;
  readonly lineEnding: 'LF' | 'CRLF';
  readonly createdMs: number;
  readonly willFail: string | null;
  state: JobState;
  polls: number;
  modifiedMs: number;
  seqs: Int32Array | null;
  errorMessage: string | null;
}

const CreateJobSchema = z.object({
  operation: z.enum(['query', 'queryAll']),
  query: z.string().min(1),
  contentType: z.literal('CSV').optional(),
  columnDelimiter: z.literal('COMMA').optional(),
  lineEnding: z.enum(['LF', 'CRLF']).optional(),
});

/**
 * Bulk API 2.0 query jobs: create, poll (UploadComplete → InProgress → JobComplete, or Failed after a
 * fault), CSV results paged by `Sforce-Locator` (the literal `null` on the last page) with
 * `Sforce-NumberOfRecords`, abort and delete. The result set is fixed when the job completes.
 */
export class SimBulkQuery {
  readonly #store: SalesforceStore;
  readonly #clock: SimClock;
  readonly #settings: SalesforceSimSettings;
  readonly #jobs = new Map<string, QueryJob>();
  #next = 1;

  constructor(store: SalesforceStore, clock: SimClock, settings: SalesforceSimSettings) {
    this.#store = store;
    this.#clock = clock;
    this.#settings = settings;
  }

  create(rawBody: string, version: string, userId: string): SimResponse {
    const parsed = CreateJobSchema.safeParse(safeJson(rawBody));
    if (!parsed.success) {
      return sfError(
        400,
        'INVALIDJOB',
        `Invalid job definition: ${parsed.error.issues[0]?.message ?? 'bad body'}`,
      );
    }
    const s = this.#settings;
    if (s.bulkJobsToday >= s.bulkJobsDailyLimit) {
      return sfError(
        400,
        'LIMIT_EXCEEDED',
        `Max Bulk API 2.0 query jobs per day (${s.bulkJobsDailyLimit}) exceeded`,
      );
    }
    let prepared: PreparedQuery;
    try {
      prepared = prepareQuery(this.#store, parsed.data.query);
    } catch (error) {
      if (error instanceof QueryError) {
        return sfError(400, 'INVALIDJOB', `Failed to process query: ${error.errorCode}: ${error.message}`);
      }
      throw error;
    }
    if (prepared.count)
      return sfError(400, 'INVALIDJOB', 'Aggregate queries are not supported by Bulk API 2.0');
    if (prepared.fields.some((f) => f.type === 'address' || f.type === 'location')) {
      return sfError(400, 'FUNCTIONALITY_NOT_ENABLED', 'Selecting compound data not supported in Bulk Query');
    }
    s.bulkJobsToday++;
    const willFail = s.bulkFailNext > 0 ? s.bulkFailMessage : null;
    if (s.bulkFailNext > 0) s.bulkFailNext--;
    const now = this.#clock.now();
    const job: QueryJob = {
      id: mintId('750', this.#next++),
      operation: parsed.data.operation,
      prepared,
      apiVersion: version,
      lineEnding: parsed.data.lineEnding ?? 'LF',
      createdMs: now,
      willFail,
      state: 'UploadComplete',
      polls: 0,
      modifiedMs: now,
      seqs: null,
      errorMessage: null,
    };
    this.#jobs.set(job.id, job);
    return { status: 200, json: this.#info(job, userId) };
  }

  status(id: string, userId: string): SimResponse {
    const job = this.#jobs.get(id);
    if (!job) return notFound(id);
    if (job.state === 'UploadComplete' || job.state === 'InProgress') {
      job.polls++;
      job.modifiedMs = this.#clock.now();
      if (job.polls >= this.#settings.bulkPollsToComplete) this.#finish(job);
      else job.state = 'InProgress';
    }
    return { status: 200, json: this.#info(job, userId) };
  }

  list(userId: string): SimResponse {
    return {
      status: 200,
      json: {
        done: true,
        records: [...this.#jobs.values()].map((j) => this.#info(j, userId)),
        nextRecordsUrl: null,
      },
    };
  }

  abort(id: string, rawBody: string, userId: string): SimResponse {
    const job = this.#jobs.get(id);
    if (!job) return notFound(id);
    const body = safeJson(rawBody) as { state?: unknown };
    if (body?.state !== 'Aborted')
      return sfError(400, 'INVALIDJOBSTATE', 'Only state Aborted can be set on a query job');
    if (job.state === 'JobComplete' || job.state === 'Failed') {
      return sfError(400, 'INVALIDJOBSTATE', `Job ${id} is already ${job.state}`);
    }
    job.state = 'Aborted';
    return { status: 200, json: this.#info(job, userId) };
  }

  remove(id: string): SimResponse {
    if (!this.#jobs.delete(id)) return notFound(id);
    return { status: 204 };
  }

  results(id: string, query: URLSearchParams, version: string): SimResponse {
    const job = this.#jobs.get(id);
    if (!job) return notFound(id);
    if (version !== job.apiVersion) {
      return sfError(
        409,
        'INVALIDJOBSTATE',
        `Job ${id} was created with API version ${job.apiVersion}; use the same version`,
      );
    }
    if (job.state !== 'JobComplete' || job.seqs === null) {
      return sfError(412, 'JOB_NOT_COMPLETE', `Job ${id} is not complete (state ${job.state})`);
    }
    const offset = decodeLocator(query.get('locator'));
    if (offset === null || offset > job.seqs.length) return sfError(400, 'INVALIDLOCATOR', 'invalid locator');
    const max = query.get('maxRecords');
    const size = max === null ? this.#settings.bulkResultsPageSize : Number(max);
    if (!Number.isInteger(size) || size <= 0)
      return sfError(400, 'INVALIDMAXRECORDS', 'maxRecords must be a positive integer');
    const { table, fields } = job.prepared;
    const eol = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
    const end = Math.min(job.seqs.length, offset + size);
    const lines = [csvHeader(fields)];
    for (let i = offset; i < end; i++) lines.push(csvLine(fields, table.record(job.seqs[i]!)));
    return {
      status: 200,
      headers: {
        'content-type': 'text/csv',
        'sforce-numberofrecords': String(end - offset),
        'sforce-locator': end >= job.seqs.length ? 'null' : encodeLocator(end),
      },
      text: lines.join(eol) + eol,
    };
  }

  #finish(job: QueryJob): void {
    if (job.willFail !== null) {
      job.state = 'Failed';
      job.errorMessage = job.willFail;
      return;
    }
    job.seqs = runQuery(job.prepared, job.operation === 'queryAll');
    job.state = 'JobComplete';
  }

  #info(job: QueryJob, userId: string): Record<string, unknown> {
    return {
      id: job.id,
      operation: job.operation,
      object: job.prepared.table.schema.name,
      createdById: userId,
      createdDate: restDateTime(job.createdMs),
      systemModstamp: restDateTime(job.modifiedMs),
      state: job.state,
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(job.apiVersion),
      jobType: 'V2Query',
      lineEnding: job.lineEnding,
      columnDelimiter: 'COMMA',
      numberRecordsProcessed: job.seqs?.length ?? 0,
      retries: 0,
      totalProcessingTime: job.state === 'JobComplete' ? job.modifiedMs - job.createdMs : 0,
      isPkChunkingSupported: true,
      ...(job.errorMessage === null ? {} : { errorMessage: job.errorMessage }),
    };
  }
}

/** Locators look like Salesforce's: the offset in base64 (`MTAwMDA` = 10000). No locator = start. */
function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

function decodeLocator(locator: string | null): number | null {
  if (locator === null || locator === '') return 0;
  const text = Buffer.from(locator, 'base64').toString('utf8');
  return /^\d+$/.test(text) ? Number(text) : null;
}

function notFound(id: string): SimResponse {
  return sfError(404, 'NOT_FOUND', `The requested resource does not exist (job ${id})`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
