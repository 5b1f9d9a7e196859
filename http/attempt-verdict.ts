import type { HttpRequest } from './http-request.js';
import type { ResponseVerdict, VendorPolicy } from './vendor-policy.js';

/** A success, or a failure status the caller said it reads itself (`acceptStatuses`). */
export function isAccepted(status: number, req: HttpRequest): boolean {
  return status < 400 || req.acceptStatuses?.includes(status) === true;
}

/**
 * What to do about an attempt that did not succeed: a transport failure (timeout, connection
 * error) is always worth a retry; an answer is for the vendor's policy to judge.
 */
export function failureVerdict(
  failed: {
    readonly transport: unknown;
    readonly status: number;
    readonly headers: Headers;
    readonly text: string;
  },
  policy: VendorPolicy,
  where: { method: string; path: string },
): ResponseVerdict {
  return failed.transport !== null
    ? ({ kind: 'retry', afterMs: null, reason: describeTransport(failed.transport) } as const)
    : policy.judge(failed.status, failed.headers, failed.text, where);
}

function describeTransport(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    // Node's fetch puts the socket's error code (ECONNRESET, ENOTFOUND…) on `cause`: it says more.
    const { cause } = error;
    if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string')
      return cause.code;
    return error.message;
  }
  return String(error);
}
