import { TideError, type TideErrorCode } from '../../core/tide-error.js';

/** One BigQuery failure, from an HTTP error of the SDK or from a finished job's `errorResult`. */
export interface BigqueryFailure {
  readonly reason: string | undefined;
  readonly message: string;
  /** HTTP status of a failed API call (absent for a job that ran and failed). */
  readonly httpStatus?: number | undefined;
  /** Node's network error code (ECONNRESET, ...). */
  readonly networkCode?: string | undefined;
}

/**
 * Reasons BigQuery documents as "retry with backoff": rate limits, quotas (per-table and concurrent
 * job limits clear as other jobs finish) and backend errors. Everything else is the caller's fault
 * and is reported, not retried.
 */
const TRANSIENT_REASONS = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'quotaExceeded',
  'backendError',
  'internalError',
  'jobBackendError',
  'jobInternalError',
  'jobRateLimitExceeded',
]);
/** The transient reasons that mean a quota or rate limit (reported as such when retries run out). */
const QUOTA_REASONS = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'quotaExceeded',
  'jobRateLimitExceeded',
]);
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const TRANSIENT_NETWORK = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);
/** Two DML jobs or transactions on one table at once: BigQuery aborts one and says to retry it. */
const CONCURRENT_UPDATE =
  /(could not serialize access to table|transaction is aborted due to concurrent update)/i;

export function isTransient(failure: BigqueryFailure): boolean {
  if (failure.reason !== undefined && TRANSIENT_REASONS.has(failure.reason)) return true;
  if (failure.httpStatus !== undefined && TRANSIENT_STATUS.has(failure.httpStatus)) return true;
  if (failure.networkCode !== undefined && TRANSIENT_NETWORK.has(failure.networkCode)) return true;
  return CONCURRENT_UPDATE.test(failure.message);
}

/** Reads the SDK's ApiError (`code` = HTTP status, `errors[].reason`) or a network error. */
export function failureOfError(error: unknown): BigqueryFailure {
  if (typeof error !== 'object' || error === null) return { reason: undefined, message: String(error) };
  const e = error as { code?: unknown; errors?: unknown; message?: unknown };
  const first = Array.isArray(e.errors)
    ? (e.errors[0] as { reason?: unknown; message?: unknown } | undefined)
    : undefined;
  return {
    reason: typeof first?.reason === 'string' ? first.reason : undefined,
    message:
      typeof first?.message === 'string'
        ? first.message
        : typeof e.message === 'string'
          ? e.message
          : String(error),
    httpStatus: typeof e.code === 'number' ? e.code : undefined,
    networkCode: typeof e.code === 'string' ? e.code : undefined,
  };
}

/** Reads a finished job's `status.errorResult`. */
export function failureOfJob(errorResult: {
  reason?: string | null;
  message?: string | null;
}): BigqueryFailure {
  return { reason: errorResult.reason ?? undefined, message: errorResult.message ?? 'no message' };
}

/**
 * The error a user sees: what Tide was doing, the job id (to look it up in the console or with
 * `bq show -j`), BigQuery's own reason and message, and what to do about it.
 */
export function bigqueryError(
  failure: BigqueryFailure,
  context: { readonly action: string; readonly jobId?: string | undefined; readonly attempts?: number },
): TideError {
  const where = context.jobId === undefined ? '' : ` (job ${context.jobId})`;
  const why = failure.reason === undefined ? failure.message : `${failure.reason}: ${failure.message}`;
  const retried =
    context.attempts !== undefined && context.attempts > 1 ? ` after ${context.attempts} attempts` : '';
  const { code, hint } = classify(failure);
  return new TideError(code, `BigQuery ${context.action} failed${where}${retried}: ${why}`, { hint });
}

function classify(failure: BigqueryFailure): { code: TideErrorCode; hint: string } {
  // ADC found nothing: the SDK still sends the request unauthenticated, then reports this message.
  if (/could not load the default credentials/i.test(failure.message)) {
    return {
      code: 'credentials_missing',
      hint: 'set keyFileEnv in pipeline.config.ts, or GOOGLE_APPLICATION_CREDENTIALS, or run `gcloud auth application-default login`',
    };
  }
  // Before the 403 check: BigQuery answers rate limits and quotas with HTTP 403 too.
  if (failure.reason !== undefined && QUOTA_REASONS.has(failure.reason)) {
    return {
      code: 'quota_exhausted',
      hint: 'BigQuery quota is exhausted for now: rerun later; every committed cursor is where its data is',
    };
  }
  if (failure.httpStatus === 401) {
    return {
      code: 'credentials_rejected',
      hint: 'check the service-account key file named by keyFileEnv, or run `gcloud auth application-default login`',
    };
  }
  if (failure.reason === 'accessDenied' || failure.httpStatus === 403) {
    return {
      code: 'permission_denied',
      hint: 'the credentials need the BigQuery Data Editor and BigQuery Job User roles on the project',
    };
  }
  if (failure.reason === 'notFound') {
    return {
      code: 'warehouse_error',
      hint: 'check projectId and location in pipeline.config.ts',
    };
  }
  return { code: 'warehouse_error', hint: 'the job id above shows the full error in the BigQuery console' };
}
