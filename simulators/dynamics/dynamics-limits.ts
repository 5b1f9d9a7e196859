import { RollingWindowLimiter } from '../kit/rolling-window-limiter.js';
import type { SimResponse } from '../kit/sim-types.js';
import { dataverseError } from './dynamics-errors.js';

/**
 * Dataverse's service protection limits, per user (MicrosoftDocs api-limits.md): requests and
 * combined execution time in a 300-second sliding window, and concurrent requests, each answered
 * with 429, `Retry-After` in seconds and the documented hex code; plus the daily request
 * entitlement (MicrosoftDocs power-platform api-request-limits-allocations.md), where every
 * operation of a `$batch` counts. Windows run on the wall clock (advancing the simulator clock must
 * not refill them). Execution time is simulated, so tests are deterministic: a base cost per
 * request plus a cost per record read or written.
 */
export interface LimitSettings {
  /** Requests per window; 0 = off. Default 6,000. */
  requestsPerWindow: number;
  /** Milliseconds of combined execution time per window; 0 = off. Default 1,200,000. */
  executionMsPerWindow: number;
  /** Requests in flight per user; 0 = off. Default 52. */
  concurrentRequests: number;
  /** Operations per rolling 24 hours; 0 = off. Default 500,000 (an application user's tenant pool). */
  dailyEntitlement: number;
  /** Simulated execution cost of a request, and of each record it reads or writes. */
  executionMsPerRequest: number;
  executionMsPerRecord: number;
}

export const DEFAULT_LIMITS: LimitSettings = {
  requestsPerWindow: 6000,
  executionMsPerWindow: 1_200_000,
  concurrentRequests: 52,
  dailyEntitlement: 500_000,
  executionMsPerRequest: 2,
  executionMsPerRecord: 0.05,
};

const WINDOW_MS = 300_000;
const DAY_MS = 86_400_000;

class UserLimits {
  readonly requests: RollingWindowLimiter;
  readonly execution: { at: number; ms: number }[] = [];
  inFlight = 0;
  entitlementUsed = 0;
  entitlementSince = Date.now();

  constructor(requestsPerWindow: number) {
    this.requests = new RollingWindowLimiter(requestsPerWindow, WINDOW_MS);
  }

  executionMs(now: number): number {
    while (this.execution.length > 0 && this.execution[0]!.at <= now - WINDOW_MS) this.execution.shift();
    return this.execution.reduce((sum, e) => sum + e.ms, 0);
  }
}

export class DynamicsLimits {
  readonly settings: LimitSettings;
  readonly #users = new Map<string, UserLimits>();

  constructor(settings: Partial<LimitSettings> = {}) {
    this.settings = { ...DEFAULT_LIMITS, ...settings };
  }

  configure(changes: Partial<LimitSettings>): void {
    Object.assign(this.settings, changes);
    for (const user of this.#users.values()) user.requests.setLimit(this.settings.requestsPerWindow);
  }

  #user(id: string): UserLimits {
    let user = this.#users.get(id);
    if (user === undefined) {
      user = new UserLimits(this.settings.requestsPerWindow);
      this.#users.set(id, user);
    }
    return user;
  }

  /**
   * Admits a request of `user` or answers the 429 it gets. Admitted requests must be `finish`ed,
   * which charges their execution time and entitlement.
   */
  admit(userId: string): SimResponse | null {
    const s = this.settings;
    const user = this.#user(userId);
    const now = Date.now();
    if (s.concurrentRequests > 0 && user.inFlight >= s.concurrentRequests) {
      return tooMany(
        1,
        '0x80072326',
        `Number of concurrent requests exceeded the limit of ${s.concurrentRequests}.`,
      );
    }
    if (s.dailyEntitlement > 0) {
      if (now - user.entitlementSince >= DAY_MS) {
        user.entitlementSince = now;
        user.entitlementUsed = 0;
      }
      if (user.entitlementUsed >= s.dailyEntitlement) {
        const seconds = Math.ceil((user.entitlementSince + DAY_MS - now) / 1000);
        // INFERENCE: Microsoft documents no hard block for the entitlement (overage means "high
        // usage" throttling); the simulator answers like service protection, with a day-long wait.
        return tooMany(
          seconds,
          '',
          `The daily API request entitlement of ${s.dailyEntitlement} requests for this user is exhausted.`,
        );
      }
    }
    if (s.executionMsPerWindow > 0 && user.executionMs(now) >= s.executionMsPerWindow) {
      const oldest = user.execution[0]?.at ?? now;
      return tooMany(
        Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)),
        '0x80072321',
        `Combined execution time of incoming requests exceeded limit of ${s.executionMsPerWindow.toLocaleString('en-US')} milliseconds over time window of 300 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`,
      );
    }
    if (!user.requests.tryAcquire(now)) {
      return tooMany(
        user.requests.resetSeconds(now),
        '0x80072322',
        `Number of requests exceeded the limit of ${s.requestsPerWindow} over time window of 300 seconds.`,
      );
    }
    user.inFlight++;
    return null;
  }

  /** Ends an admitted request: `records` read or written, `operations` counted by the entitlement. */
  finish(userId: string, records: number, operations: number): void {
    const user = this.#user(userId);
    user.inFlight = Math.max(0, user.inFlight - 1);
    user.entitlementUsed += operations;
    const ms = this.settings.executionMsPerRequest + this.settings.executionMsPerRecord * records;
    user.execution.push({ at: Date.now(), ms });
  }

  /** The debugging headers Dataverse sends on every response. */
  headers(userId: string): Record<string, string> {
    const user = this.#user(userId);
    const now = Date.now();
    const s = this.settings;
    const burst = s.requestsPerWindow > 0 ? user.requests.remaining(now) : 1_000_000;
    const time =
      s.executionMsPerWindow > 0
        ? Math.max(0, s.executionMsPerWindow - user.executionMs(now))
        : 1_000_000_000;
    return {
      'x-ms-ratelimit-burst-remaining-xrm-requests': String(burst),
      'x-ms-ratelimit-time-remaining-xrm-requests': time.toFixed(2),
    };
  }
}

export function tooMany(retryAfterSeconds: number, code: string, message: string): SimResponse {
  return dataverseError(429, code, message, { 'Retry-After': String(Math.max(1, retryAfterSeconds)) });
}
