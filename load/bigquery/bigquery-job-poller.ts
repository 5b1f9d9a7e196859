import type { JobMetadata } from '@google-cloud/bigquery';
import { TideError } from '../../core/tide-error.js';
import { type BackoffPolicy, backoffDelay, realSleep, type Sleep } from './bigquery-backoff.js';
import type { BigqueryJobLike } from './bigquery-client-like.js';
import { bigqueryError, failureOfError, isTransient } from './bigquery-failure.js';

export interface PollPolicy extends BackoffPolicy {
  /** Give up waiting (the job keeps running in BigQuery) after this long. */
  readonly timeoutMs: number;
  /** Consecutive failed status calls tolerated before giving up. */
  readonly maxStatusErrors: number;
}

/** Short jobs (DDL, small MERGEs) finish within a second; long ones are polled every 10 s at most. */
export const DEFAULT_POLL: PollPolicy = {
  initialMs: 250,
  maxMs: 10_000,
  factor: 1.6,
  timeoutMs: 6 * 60 * 60 * 1000,
  maxStatusErrors: 8,
};

/**
 * Waits until a job is DONE and returns its final metadata (which may carry `status.errorResult`:
 * judging it is the caller's job). `first` is the metadata the insert call already returned, so a
 * job that finished during the insert costs no extra call.
 */
export async function waitForJob(
  job: BigqueryJobLike,
  first: JobMetadata | undefined,
  policy: PollPolicy = DEFAULT_POLL,
  sleep: Sleep = realSleep,
  now: () => number = Date.now,
): Promise<JobMetadata> {
  const started = now();
  let metadata = first;
  let attempt = 0;
  let statusErrors = 0;
  while (metadata?.status?.state !== 'DONE') {
    if (now() - started > policy.timeoutMs) {
      throw new TideError(
        'warehouse_error',
        `BigQuery job ${job.id ?? '?'} is still ${metadata?.status?.state ?? 'unknown'} after ${Math.round(policy.timeoutMs / 1000)} s; it keeps running in BigQuery`,
        { hint: 'look the job up in the BigQuery console; rerun when it has finished' },
      );
    }
    await sleep(backoffDelay(policy, attempt++));
    try {
      [metadata] = await job.getMetadata();
      statusErrors = 0;
    } catch (error) {
      const failure = failureOfError(error);
      if (!isTransient(failure) || ++statusErrors > policy.maxStatusErrors) {
        throw bigqueryError(failure, { action: 'job status check', jobId: job.id, attempts: statusErrors });
      }
    }
  }
  return metadata;
}
