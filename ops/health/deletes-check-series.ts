import type { RunHistoryEntry } from '../runs/run-history.js';
import { byKey, type Series } from './health-data.js';
import type { DeletesCheckRow } from './health-queries.js';

/**
 * Per stream, at the end of each run: hours since the newest time up to which a load completed by
 * then had checked the stream's deletes; null before its first check.
 */
export function deletesCheckSeries(
  runs: readonly RunHistoryEntry[],
  checks: readonly DeletesCheckRow[],
): Series[] {
  const byStream = new Map<
    string,
    { source: string; object: string; checks: { done: number; upTo: number }[] }
  >();
  for (const c of checks) {
    const key = `${c.source}.${c.stream}`;
    const entry = byStream.get(key) ?? { source: c.source, object: c.stream, checks: [] };
    entry.checks.push({ done: Date.parse(c.completed_at), upTo: Date.parse(c.deletes_checked_at) });
    byStream.set(key, entry);
  }
  return [...byStream].sort(byKey).map(([key, { source, object, checks: list }]) => ({
    key,
    source,
    object,
    values: runs.map((run) => {
      const end = (run.finishedAt ?? run.startedAt).getTime();
      let newest = Number.NEGATIVE_INFINITY;
      for (const c of list) if (c.done <= end && c.upTo > newest) newest = c.upTo;
      return newest === Number.NEGATIVE_INFINITY
        ? null
        : Math.round(Math.max(0, end - newest) / 360_000) / 10;
    }),
  }));
}
