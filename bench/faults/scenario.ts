import type { CliRun } from '../../test/cli/cli-helpers.js';

/** One line of RELIABILITY.md: a scenario on one CRM (or all), over its runs. */
export interface ScenarioResult {
  readonly scenario: string;
  /** A connector kind, or `all` when every simulator took part at once. */
  readonly crm: string;
  readonly runs: number;
  readonly passed: number;
  /** Records the clean run has and this one lacked (after the rerun), summed over the runs. */
  readonly lost: number;
  /** Extra rows or unjustified resends, summed over the runs. */
  readonly duplicated: number;
  /** Exit codes as `first→rerun`, grouped: `1→0 ×3, 0 ×17`. */
  readonly exits: string;
  /** What Tide said (the first error, or the note that proves the behaviour). */
  readonly message: string;
  readonly seconds: number;
  /** Not covered, and why (the line is then not counted as passed or failed). */
  readonly uncovered?: string;
}

/** Groups exit-code strings: `['0', '0', '1→0']` → `0 ×2, 1→0 ×1`. */
export function groupExits(exits: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const e of exits) counts.set(e, (counts.get(e) ?? 0) + 1);
  return [...counts].map(([e, n]) => (n === 1 && exits.length === 1 ? e : `${e} ×${n}`)).join(', ');
}

/**
 * The first stream error a CLI run reported (`code: message`), from its JSON log lines; or the
 * last error line; or '' when it reported none.
 */
export function firstError(run: CliRun): string {
  for (const line of `${run.stdout}\n${run.stderr}`.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as {
        msg?: string;
        message?: string;
        streams?: { error?: { code: string; message: string } }[];
        code?: string;
        error?: string;
      };
      const failed = entry.streams?.find((s) => s.error !== undefined)?.error;
      if (failed) return `${failed.code}: ${failed.message}`;
    } catch {
      // not a log line
    }
  }
  const lines = `${run.stdout}\n${run.stderr}`.split('\n');
  const errors = lines.filter((l) => !l.startsWith('{') && /error|failed/i.test(l));
  return errors.at(-1)?.slice(0, 300) ?? summaryOf(lines) ?? '';
}

/**
 * The run's own summary log line, in words: a scenario that ended well shows what the run did
 * (records, API calls, the answers it retried or waited out) instead of a raw JSON line.
 */
function summaryOf(lines: readonly string[]): string | undefined {
  for (const line of [...lines].reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as {
        msg?: string;
        status?: string;
        exitCode?: number;
        counts?: { recordsLoaded?: number; recordsWritten?: number; apiCalls?: number; apiErrors?: number };
      };
      if (entry.msg !== 'summary') continue;
      const c = entry.counts ?? {};
      return `${entry.status ?? '?'} (exit ${entry.exitCode ?? '?'}): ${c.recordsLoaded ?? 0} records loaded, ${c.recordsWritten ?? 0} written; ${c.apiCalls ?? 0} API calls, ${c.apiErrors ?? 0} of them answered with an error and retried or waited out`;
    } catch {
      // not a log line
    }
  }
  return undefined;
}

/** Seconds since `started`, one decimal. */
export function since(started: number): number {
  return Math.round((Date.now() - started) / 100) / 10;
}

/** A small seeded generator, so the kill points of a run can be reproduced. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return (s >>> 8) / 0x1000000;
  };
}
