import { randomUUID } from 'node:crypto';
import type { JobLoadMetadata, JobMetadata, Query } from '@google-cloud/bigquery';
import { TideError } from '../../core/tide-error.js';
import { type BackoffPolicy, backoffDelay, realSleep, type Sleep } from './bigquery-backoff.js';
import type { BigqueryClientLike, BigqueryJobLike } from './bigquery-client-like.js';
import {
  type BigqueryFailure,
  bigqueryError,
  failureOfError,
  failureOfJob,
  isTransient,
} from './bigquery-failure.js';
import { DEFAULT_POLL, type PollPolicy, waitForJob } from './bigquery-job-poller.js';
import { plainRow } from './bigquery-row-values.js';
import type { BigqueryParamType, BigqueryStatement } from './bigquery-statement.js';

export interface RetryPolicy extends BackoffPolicy {
  /** Attempts per job (and per API call) before a transient failure becomes the user's error. */
  readonly attempts: number;
}

/** About four minutes of retrying: long enough for a per-table rate limit window to pass. */
export const DEFAULT_RETRY: RetryPolicy = { initialMs: 1_000, maxMs: 60_000, factor: 2, attempts: 8 };

export interface BigqueryDriverOptions {
  readonly client: BigqueryClientLike;
  readonly location: string;
  readonly poll?: PollPolicy;
  readonly retry?: RetryPolicy;
  readonly sleep?: Sleep;
  /** Rows per result page. */
  readonly pageSize?: number;
}

/** What a finished job reported: its id and final metadata (statistics, DML counts). */
export interface FinishedJob {
  readonly jobId: string;
  readonly metadata: JobMetadata;
}

/**
 * Runs jobs the way BigQuery wants to be driven: a client-chosen job id per attempt (so an insert
 * whose answer got lost is found again by id instead of running twice), polling until DONE, and
 * transient failures (rate limits, quotas, backend errors) retried with backoff as a new job. Every
 * other failure is reported with the job id and BigQuery's reason and message.
 */
export class BigqueryDriver {
  readonly #client: BigqueryClientLike;
  readonly #location: string;
  readonly #poll: PollPolicy;
  readonly #retry: RetryPolicy;
  readonly #sleep: Sleep;
  readonly #pageSize: number;

  constructor(options: BigqueryDriverOptions) {
    this.#client = options.client;
    this.#location = options.location;
    this.#poll = options.poll ?? DEFAULT_POLL;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#sleep = options.sleep ?? realSleep;
    this.#pageSize = options.pageSize ?? 10_000;
  }

  /** Runs a statement (or a script) to completion. `purpose` names the job: `tide_<purpose>_<uuid>`. */
  async run(statement: BigqueryStatement | string, purpose: string): Promise<FinishedJob> {
    const { jobId, metadata } = await this.#runJob(purpose, (jobId) =>
      this.#client.createQueryJob(this.#queryOptions(statement, purpose, jobId)),
    );
    return { jobId, metadata };
  }

  /** Runs a query and streams its rows page by page as plain JS values. */
  async *rows(
    statement: BigqueryStatement | string,
    purpose: string,
  ): AsyncGenerator<Record<string, unknown>> {
    const { job, jobId } = await this.#runJob(purpose, (id) =>
      this.#client.createQueryJob(this.#queryOptions(statement, purpose, id)),
    );
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const [rows, next] = await this.#call(`result page of ${purpose}`, jobId, () =>
        job.getQueryResults({
          maxResults: this.#pageSize,
          autoPaginate: false,
          wrapIntegers: true,
          parseJSON: true,
          ...(token === undefined ? {} : { pageToken: token }),
        }),
      );
      for (const row of rows) yield plainRow(row);
      pageToken = nextPageToken(next);
    } while (pageToken !== undefined);
  }

  /** Uploads a local file as a load job into `dataset.table` and waits for it. */
  async load(
    dataset: string,
    table: string,
    file: string,
    load: JobLoadMetadata,
    purpose: string,
  ): Promise<FinishedJob> {
    const { jobId, metadata } = await this.#runJob(purpose, (jobId) =>
      // The SDK deletes keys from the metadata it is given: each attempt gets its own copy.
      this.#client
        .dataset(dataset)
        .table(table)
        .createLoadJob(file, structuredClone({ ...load, jobId })),
    );
    return { jobId, metadata };
  }

  /**
   * A table's columns and their types as tables.get reports them (legacy names: INTEGER, FLOAT,
   * BOOLEAN), or null when the table does not exist. Not INFORMATION_SCHEMA: it may lag behind a
   * schema change, and a stale answer would look like drift.
   */
  async tableFields(
    dataset: string,
    table: string,
  ): Promise<readonly { name: string; type: string }[] | null> {
    const metadata = await this.#call('table', `${dataset}.${table}`, async () => {
      try {
        const [found] = await this.#client.dataset(dataset).table(table).getMetadata();
        return found;
      } catch (error) {
        if (failureOfError(error).httpStatus === 404) return null;
        throw error;
      }
    });
    if (metadata === null) return null;
    return (metadata.schema?.fields ?? []).map((f) => ({ name: String(f.name), type: String(f.type) }));
  }

  #queryOptions(statement: BigqueryStatement | string, purpose: string, jobId: string): Query {
    const s = typeof statement === 'string' ? { sql: statement } : usedParams(statement);
    return {
      query: s.sql,
      useLegacySql: false,
      location: this.#location,
      jobId,
      labels: { tide: purpose },
      ...(s.params === undefined ? {} : { params: s.params as Query['params'] }),
      ...(s.types === undefined ? {} : { types: s.types as Query['types'] }),
    };
  }

  async #runJob(
    purpose: string,
    submit: (jobId: string) => Promise<readonly [BigqueryJobLike, ...unknown[]]>,
  ): Promise<FinishedJob & { readonly job: BigqueryJobLike }> {
    for (let attempt = 1; ; attempt++) {
      const jobId = `tide_${purpose}_${randomUUID().replaceAll('-', '')}`;
      let failure: BigqueryFailure;
      try {
        const job = await this.#submit(purpose, jobId, submit);
        const metadata = await waitForJob(job, job.metadata, this.#poll, this.#sleep);
        const errorResult = metadata.status?.errorResult;
        if (errorResult === undefined || errorResult === null) return { job, jobId, metadata };
        failure = failureOfJob(errorResult);
      } catch (error) {
        if (error instanceof TideError) throw error;
        failure = error instanceof JobVerdict ? error.failure : failureOfError(error);
      }
      if (!isTransient(failure) || attempt >= this.#retry.attempts) {
        throw bigqueryError(failure, { action: purpose, jobId, attempts: attempt });
      }
      await this.#sleep(backoffDelay(this.#retry, attempt - 1));
    }
  }

  /**
   * Inserts one job, retrying the insert itself with the same id: a 409 (duplicate) means an earlier
   * attempt whose answer got lost did create the job, which is then followed instead of run twice.
   */
  async #submit(
    purpose: string,
    jobId: string,
    submit: (jobId: string) => Promise<readonly [BigqueryJobLike, ...unknown[]]>,
  ): Promise<BigqueryJobLike> {
    for (let attempt = 1; ; attempt++) {
      try {
        const [job] = await submit(jobId);
        return job;
      } catch (error) {
        const failure = failureOfError(error);
        if (failure.httpStatus === 409) return this.#client.job(jobId, { location: this.#location });
        // The SDK rejects an insert whose job came back already DONE with errors: the job's verdict.
        if (failure.reason !== undefined && failure.httpStatus === undefined) throw new JobVerdict(failure);
        if (!isTransient(failure) || attempt >= this.#retry.attempts) {
          throw bigqueryError(failure, { action: purpose, jobId, attempts: attempt });
        }
        await this.#sleep(backoffDelay(this.#retry, attempt - 1));
      }
    }
  }

  /** One API call (not a job), retried while its failure is transient. */
  async #call<T>(action: string, jobId: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const failure = failureOfError(error);
        if (!isTransient(failure) || attempt >= this.#retry.attempts) {
          throw bigqueryError(failure, { action, jobId, attempts: attempt });
        }
        await this.#sleep(backoffDelay(this.#retry, attempt - 1));
      }
    }
  }
}

/** A job that ran and failed, as opposed to an API call that failed. */
class JobVerdict extends Error {
  readonly failure: BigqueryFailure;

  constructor(failure: BigqueryFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

/**
 * Drops named parameters the SQL does not mention: one statement builder serves several script
 * shapes (a commit without cursor has no @cursor_value), and an unused parameter is noise in the
 * job's configuration.
 */
function usedParams(statement: BigqueryStatement): BigqueryStatement {
  const { params, types } = statement;
  if (params === undefined || Array.isArray(params)) return statement;
  const named = params as Readonly<Record<string, unknown>>;
  const namedTypes = (types ?? {}) as Readonly<Record<string, BigqueryParamType>>;
  const keep = Object.keys(named).filter((name) => new RegExp(`(?<!@)@${name}\\b`).test(statement.sql));
  if (keep.length === 0) return { sql: statement.sql };
  return {
    sql: statement.sql,
    params: Object.fromEntries(keep.map((k) => [k, named[k]])),
    types: Object.fromEntries(keep.filter((k) => k in namedTypes).map((k) => [k, namedTypes[k]!])),
  };
}

function nextPageToken(next: unknown): string | undefined {
  if (typeof next !== 'object' || next === null) return undefined;
  const token = (next as { pageToken?: unknown }).pageToken;
  return typeof token === 'string' && token !== '' ? token : undefined;
}
