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

export function isTideError(e: unknown): e is TideError {
  return e instanceof TideError;
}
