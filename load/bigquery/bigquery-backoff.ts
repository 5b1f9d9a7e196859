/** Exponential backoff with jitter, shared by job polling and transient-error retries. */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The wait before attempt `attempt` (0-based): initial × factor^attempt, capped, then jittered into
 * [50 %, 100 %] so many parallel streams polling the same project do not move in lockstep.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** attempt);
  return Math.round(base * (0.5 + random() / 2));
}
