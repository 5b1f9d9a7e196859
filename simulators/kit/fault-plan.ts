import { z } from 'zod';
import { SeededRandom } from './seeded-random.js';

/**
 * Faults injected ahead of the vendor logic, set through `POST /_sim/faults`. Counted faults
 * (`rateLimit: 5`) hit the next N matching requests; rates hit a share of them, deterministically.
 */
export const FaultPlanSchema = z
  .object({
    /** Next N requests answer with the vendor's 429. */
    rateLimit: z.number().int().nonnegative().default(0),
    /** Share of requests answering with the vendor's 5xx. */
    serverErrorRate: z.number().min(0).max(1).default(0),
    /** Next N requests answer 5xx. */
    serverErrors: z.number().int().nonnegative().default(0),
    /** Added to every response. */
    latencyMs: z.number().int().nonnegative().default(0),
    /** Next N requests never answer (the client must time out). */
    hang: z.number().int().nonnegative().default(0),
    /** Next N requests answer 200 with a body that is not JSON. */
    malformedJson: z.number().int().nonnegative().default(0),
    /** Next N requests announce a longer body than they send and drop the connection. */
    truncatedBody: z.number().int().nonnegative().default(0),
    /**
     * Next N reads of a list page answer that page without its records but with a next link, which
     * leads to the page itself (vendors do send such pages, e.g. when permissions filter a page out).
     * Only backends that describe their list pages (`SimBackend.paging`) serve it; other requests
     * do not consume it.
     */
    emptyPages: z.number().int().nonnegative().default(0),
    /** Next N requests answer the vendor's 401 (an expired or revoked token). */
    unauthorized: z.number().int().nonnegative().default(0),
    /** Only requests whose path contains this string are affected. */
    pathContains: z.string().optional(),
    seed: z.number().int().default(1),
  })
  .strict();
export type FaultPlanInput = z.input<typeof FaultPlanSchema>;

export type FaultKind =
  | 'rateLimit'
  | 'serverError'
  | 'hang'
  | 'malformedJson'
  | 'truncatedBody'
  | 'emptyPage'
  | 'unauthorized';

/** The faults served a counted number of times, by their key in the plan. */
const COUNTED = [
  ['hang', 'hang'],
  ['rateLimit', 'rateLimit'],
  ['serverErrors', 'serverError'],
  ['malformedJson', 'malformedJson'],
  ['truncatedBody', 'truncatedBody'],
  ['emptyPages', 'emptyPage'],
  ['unauthorized', 'unauthorized'],
] as const;

export class FaultPlan {
  #plan = FaultPlanSchema.parse({});
  #random = new SeededRandom(1);

  set(input: unknown): void {
    this.#plan = FaultPlanSchema.parse(input);
    this.#random = new SeededRandom(this.#plan.seed);
  }

  clear(): void {
    this.set({});
  }

  get latencyMs(): number {
    return this.#plan.latencyMs;
  }

  describe(): z.output<typeof FaultPlanSchema> & { readonly pending: number } {
    return { ...this.#plan, pending: this.pending() };
  }

  /** Counted faults not served yet: tests check a fault they set was actually met. */
  pending(): number {
    return COUNTED.reduce((n, [key]) => n + this.#plan[key], 0);
  }

  /**
   * Decides the fault (if any) for one request, consuming counted faults. `pageRead` tells whether the
   * request reads one page of a paginated list (only those can be served an empty page); it is asked
   * only while empty pages are due.
   */
  next(path: string, pageRead: () => boolean = () => false): FaultKind | null {
    const p = this.#plan;
    if (path.startsWith('/_sim/')) return null;
    if (p.pathContains !== undefined && !path.includes(p.pathContains)) return null;
    for (const [key, kind] of COUNTED) {
      if (kind === 'emptyPage' && (p[key] === 0 || !pageRead())) continue;
      if (p[key] > 0) {
        p[key]--;
        return kind;
      }
    }
    if (p.serverErrorRate > 0 && this.#random.chance(p.serverErrorRate)) return 'serverError';
    return null;
  }
}
