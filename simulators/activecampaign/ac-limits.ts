import { RollingWindowLimiter } from '../kit/rolling-window-limiter.js';
import { SeededRandom } from '../kit/seeded-random.js';
import type { SimResponse } from '../kit/sim-types.js';
import { messageError } from './ac-errors.js';

export interface LimitSettings {
  /** Requests per second for the whole account, all keys together (reference: 5). 0 = off. */
  rateLimit: number;
  /** Share of over-limit requests answered 503 instead of 429, as older clients saw. */
  busy503Share: number;
  /** Bulk import requests per rolling minute (reference: 100). 0 = off. */
  importsPerMinute: number;
}

/**
 * ActiveCampaign's account limit: 5 requests per second, shared by every API key of the account,
 * answered with 429, `Retry-After` (seconds) and `RateLimit-Limit` / `RateLimit-Remaining`
 * (reference: Rate Limits). Some over-limit requests get a bare 503 instead (observed by older
 * clients: mediatoolkit/activecampaign-v3-php#18). Bulk imports have their own 100-per-minute limit,
 * answered 400 with the reference's body. Measured on the wall clock.
 */
export class AcLimits {
  readonly #second: RollingWindowLimiter;
  readonly #imports: RollingWindowLimiter;
  readonly #random = new SeededRandom(0x503);
  #busy503Share: number;

  constructor(settings: LimitSettings) {
    this.#second = new RollingWindowLimiter(settings.rateLimit, 1000);
    this.#imports = new RollingWindowLimiter(settings.importsPerMinute, 60_000);
    this.#busy503Share = settings.busy503Share;
  }

  settings(): LimitSettings {
    return {
      rateLimit: this.#second.limit,
      busy503Share: this.#busy503Share,
      importsPerMinute: this.#imports.limit,
    };
  }

  configure(changes: Partial<LimitSettings>): void {
    if (changes.rateLimit !== undefined) this.#second.setLimit(changes.rateLimit);
    if (changes.importsPerMinute !== undefined) this.#imports.setLimit(changes.importsPerMinute);
    if (changes.busy503Share !== undefined) this.#busy503Share = changes.busy503Share;
  }

  /** Admits one request, or answers the limit's 429 (or, now and then, 503). */
  admit(): SimResponse | null {
    if (this.#second.tryAcquire()) return null;
    if (this.#busy503Share > 0 && this.#random.chance(this.#busy503Share)) return serviceUnavailable();
    return this.exceeded();
  }

  exceeded(): SimResponse {
    const retryAfter = Math.max(1, this.#second.resetSeconds());
    return messageError(429, 'Too Many Requests', {
      ...this.headers(),
      'retry-after': String(retryAfter),
      'ratelimit-remaining': '0',
    });
  }

  /** The import limit: 400 with the reference's body, nothing queued. */
  admitImport(): SimResponse | null {
    if (this.#imports.tryAcquire()) return null;
    return {
      status: 400,
      json: {
        success: 0,
        message: 'Rate limit exceeded.',
        failureReasons: [
          'Up to 100 imports may be requested per minute.Please batch contacts into larger requests, or retry this request in a minute.',
        ],
      },
    };
  }

  headers(): Record<string, string> {
    if (this.#second.limit <= 0) return {};
    return {
      'ratelimit-limit': String(this.#second.limit),
      'ratelimit-remaining': String(this.#second.remaining()),
    };
  }
}

export function serviceUnavailable(): SimResponse {
  return {
    status: 503,
    headers: { 'content-type': 'text/html' },
    text: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
  };
}
