import type { RequestLog } from '../core/request-log.js';
import type { RateBudget } from './rate-budget.js';
import type { RateLimitWaits } from './rate-limit-waits.js';
import type { VendorPolicy } from './vendor-policy.js';

/**
 * How one HttpClient talks to one account. In a file of its own because both the client and its
 * request loop (http/request-loop.ts) read it, and the loop must not import the client.
 */
export interface HttpClientOptions {
  readonly baseUrl: string;
  readonly source: string;
  readonly policy: VendorPolicy;
  readonly budget: RateBudget;
  readonly requestLog?: RequestLog;
  /**
   * The run's budget for waiting out rate limits, shared by every client of the run
   * (ConnectionDeps.rateLimitWaits); a client without one gets its own of the default size.
   */
  readonly rateLimitWaits?: RateLimitWaits;
  /** Failed attempts retried (5xx, timeouts); rate-limit waits do not count. */
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
  readonly backoff?: { baseMs?: number; maxMs?: number };
}
