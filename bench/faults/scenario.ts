import { z } from 'zod';
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

/** The parts of Tide's JSON log lines the fault report reads: stream errors and the run's summary. */
const LogLine = z
  .object({
    msg: z.string().optional(),
    status: z.string().optional(),
    exitCode: z.number().optional(),
    streams: z
      .array(z.object({ error: z.object({ code: z.string(), message: z.string() }).optional() }).loose())
      .optional(),
    counts: z
      .object({
        recordsLoaded: z.number().optional(),
        recordsWritten: z.number().optional(),
        apiCalls: z.number().optional(),
        apiErrors: z.number().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();
type LogLine = z.output<typeof LogLine>;

/** A run's output lines, and those of them that are Tide's JSON log lines, parsed once. */
function outputOf(run: CliRun): { readonly lines: string[]; readonly entries: LogLine[] } {
  const lines = `${run.stdout}\n${run.stderr}`.split('\n');
  const entries: LogLine[] = [];
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = LogLine.safeParse(JSON.parse(line));
      if (parsed.success) entries.push(parsed.data);
    } catch {
      // not a log line
    }
  }
  return { lines, entries };
}

/**
 * The first stream error a CLI run reported (`code: message`), from its JSON log lines; or the last
 * error line; or, for a run that ended well, what its summary says it did; or ''.
 */
export function firstError(run: CliRun): string {
  const { lines, entries } = outputOf(run);
  for (const entry of entries) {
    const failed = entry.streams?.find((s) => s.error !== undefined)?.error;
    if (failed) return `${failed.code}: ${failed.message}`;
  }
  const errors = lines.filter((l) => !l.startsWith('{') && /error|failed/i.test(l));
  const summary = entries.findLast((e) => e.msg === 'summary');
  return errors.at(-1)?.slice(0, 300) ?? (summary ? summaryText(summary) : '');
}

/** The run's summary in words, instead of a raw JSON line (the error filter matched its apiErrors key). */
function summaryText(entry: LogLine): string {
  const c = entry.counts ?? {};
  return `${entry.status ?? '?'} (exit ${entry.exitCode ?? '?'}): ${c.recordsLoaded ?? 0} records loaded, ${c.recordsWritten ?? 0} written; ${c.apiCalls ?? 0} API calls, ${c.apiErrors ?? 0} of them answered with an error and retried or waited out`;
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
