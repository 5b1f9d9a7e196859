/**
 * Every error Tide reports on purpose carries a stable `code` (for scripts and tests) and a message
 * that tells the user what to do. Transient errors are retried by the HTTP layer; a TideError that
 * reaches the CLI is terminal.
 */
export type TideErrorCode =
  | 'config_invalid'
  | 'config_not_found'
  | 'credentials_missing'
  | 'credentials_rejected'
  | 'permission_denied'
  | 'rate_limited'
  | 'quota_exhausted'
  | 'http_error'
  | 'http_retries_exhausted'
  | 'malformed_response'
  | 'pagination_loop'
  | 'source_error'
  | 'warehouse_error'
  | 'model_error'
  | 'model_test_failed'
  | 'reverse_error'
  | 'not_found'
  /** Stopped on purpose (SIGTERM / SIGINT): what is committed stays, the rest runs next time. */
  | 'interrupted'
  /** The warehouse file is held by another process (another `tide run`). */
  | 'warehouse_locked'
  /** A broken promise between Tide's own modules (a bug to report), never a user's mistake. */
  | 'internal';

export class TideError extends Error {
  readonly code: TideErrorCode;
  readonly hint: string | undefined;

  constructor(code: TideErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TideError';
    this.code = code;
    this.hint = options?.hint;
  }
}

/** Process exit codes, documented in README. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  invalidConfig: 2,
  /** The run stopped early (quota) with every cursor where its data is. */
  partial: 3,
} as const;

/**
 * Errors that stop work for now rather than fail it: the vendor's daily quota is used up, or the run's
 * budget for waiting out rate limits is spent. Nothing is wrong with the data or the config; what
 * was loaded or pushed so far is kept and the next run carries on, so the stages report these as
 * partial (exit 3), never as failed.
 */
export function endsAsPartial(e: unknown): boolean {
  return e instanceof TideError && isPartialCode(e.code);
}

/** The same rule for an error already reduced to its code (stage reports). */
export function isPartialCode(code: string): boolean {
  return code === 'quota_exhausted' || code === 'rate_limited';
}

export function isTideError(e: unknown): e is TideError {
  return e instanceof TideError;
}
