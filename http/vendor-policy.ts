import type { TideError } from '../core/tide-error.js';
import type { RateBudget, RateSignal } from './rate-budget.js';

/**
 * What to do with a response that is not a success. `retry` is for failures (5xx, timeouts): each one
 * uses up an attempt of a bounded number. `wait` is for the vendor's rate limit (HubSpot's 429s,
 * Salesforce's concurrent-request limit, Pipedrive's burst 429): nothing failed, the vendor said "not
 * now", so the client waits `afterMs` as the vendor's signal says and asks again without using up an
 * attempt; the run's wait budget (http/rate-limit-waits.ts) bounds it instead.
 */
export type ResponseVerdict =
  | { readonly kind: 'retry'; readonly afterMs: number | null; readonly reason: string }
  | { readonly kind: 'wait'; readonly afterMs: number; readonly reason: string }
  | { readonly kind: 'reauthenticate' }
  | { readonly kind: 'fail'; readonly error: TideError };

/**
 * Everything vendor-specific about talking HTTP to one CRM: auth, how its rate-limit headers read,
 * and how its error bodies map to Tide's errors. The HTTP client is the same for every CRM (and for
 * the simulators and the real APIs alike).
 */
export interface VendorPolicy {
  readonly vendor: string;
  /** Adds credentials to a request's headers. */
  authorize(headers: Headers): Promise<void>;
  /** Drops cached credentials after `reauthenticate` (e.g. an expired OAuth token). */
  invalidateCredentials?(): void;
  /** Reads the vendor's rate-limit headers. */
  rateSignal(headers: Headers): RateSignal;
  /** Called for every status >= 400 (and success statuses the vendor abuses). */
  judge(
    status: number,
    headers: Headers,
    bodyText: string,
    request: { method: string; path: string },
  ): ResponseVerdict;
  /** Which budget a request spends from (HubSpot search has its own secondly limit). */
  budgetFor?(request: { method: string; path: string }): RateBudget | undefined;
}

/** A numeric response header (`retry-after`, rate-limit counters), undefined when absent or not a number. */
export function numberHeader(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** A body parsed as JSON for reading an error's details; `{}` when it is not JSON. */
export function jsonOrEmpty(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
