import type { ServerResponse } from 'node:http';
import type { QueryAnswer } from './bigquery-wire.js';
import { type DoubleFaults, replyFault } from './double-faults.js';
import type { DoubleHooks, DoubleLoadJob, DoubleQueryJob } from './double-hooks.js';
import { googleError, reply } from './double-http.js';
import type { BigqueryDoubleOptions } from './double-options.js';

export interface Job {
  readonly id: string;
  readonly location: string;
  readonly resource: Record<string, unknown>;
  readonly label: string | undefined;
  pollsLeft: number;
  answer: QueryAnswer;
  error: { reason: string; message: string } | null;
}

/** What the job endpoints share with the double that serves them. */
export interface JobContext {
  readonly options: BigqueryDoubleOptions;
  readonly jobs: DoubleJobs;
  readonly faults: DoubleFaults;
  /** Read at each request: a test may replace the double's hooks at any time. */
  hooks(): DoubleHooks;
  recordQueryJob(job: DoubleQueryJob): void;
  recordLoadJob(job: DoubleLoadJob, rawBytes: number): void;
}

/**
 * The job lifecycle: every job is created at once, answers RUNNING for `pollsUntilDone` jobs.get
 * calls, then DONE (with its errorResult, if any).
 */
export class DoubleJobs {
  readonly #options: BigqueryDoubleOptions;
  readonly #baseUrl: string;
  readonly #jobs = new Map<string, Job>();

  constructor(options: BigqueryDoubleOptions, baseUrl: string) {
    this.#options = options;
    this.#baseUrl = baseUrl;
  }

  has(id: string): boolean {
    return this.#jobs.has(id);
  }

  create(
    id: string,
    location: string,
    resource: Record<string, unknown>,
    label: string | undefined,
    answer: QueryAnswer,
    error: { reason: string; message: string } | null,
  ): Job {
    const now = String(Date.now());
    const job: Job = {
      id,
      location,
      label,
      resource: {
        ...resource,
        statistics: {
          creationTime: now,
          startTime: now,
          ...(answer.dmlAffectedRows === undefined
            ? {}
            : { query: { numDmlAffectedRows: String(answer.dmlAffectedRows) } }),
        },
      },
      // A job that fails at once (bad SQL) is DONE in the insert answer, as on BigQuery.
      pollsLeft: error !== null && error.reason === 'invalidQuery' ? 0 : (this.#options.pollsUntilDone ?? 1),
      answer,
      error,
    };
    this.#jobs.set(id, job);
    return job;
  }

  /** BigQuery's Job resource for a job, in its current state. */
  resource(job: Job): Record<string, unknown> {
    const p = this.#options.projectId;
    const done = job.pollsLeft <= 0;
    return {
      kind: 'bigquery#job',
      etag: `"${job.id}"`,
      id: `${p}:${job.location}.${job.id}`,
      selfLink: `${this.#baseUrl}/bigquery/v2/projects/${p}/jobs/${job.id}?location=${job.location}`,
      user_email: 'tide@double.iam.gserviceaccount.com',
      jobReference: { projectId: p, jobId: job.id, location: job.location },
      ...job.resource,
      status: done
        ? { state: 'DONE', ...(job.error === null ? {} : { errorResult: job.error, errors: [job.error] }) }
        : { state: 'RUNNING' },
    };
  }

  /** The job a jobs.get or getQueryResults call names; answers 404 itself when there is none. */
  find(res: ServerResponse, id: string, query: Record<string, string>): Job | undefined {
    const job = this.#jobs.get(id);
    const multiRegion = job?.location === 'US' || job?.location === 'EU';
    // Outside the US and EU multi-regions BigQuery finds a job only with its location.
    if (job === undefined || (query.location ?? (multiRegion ? job.location : undefined)) !== job.location) {
      reply(res, 404, googleError(404, 'notFound', `Not found: Job ${this.#options.projectId}:${id}`));
      return undefined;
    }
    return job;
  }
}

/** jobs.get: one poll, which brings the job a step closer to DONE. */
export function jobStatus(ctx: JobContext, res: ServerResponse, id: string, query: Record<string, string>) {
  const job = ctx.jobs.find(res, id, query);
  if (job === undefined) return;
  const fault = ctx.faults.take('status', job.label);
  if (fault?.http !== undefined) {
    return replyFault(res, fault.http);
  }
  if (job.pollsLeft > 0) job.pollsLeft--;
  reply(res, 200, ctx.jobs.resource(job));
}
