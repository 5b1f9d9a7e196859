import type { HealthData } from './health-data.js';
import type { ReasonRow } from './health-queries.js';

/** Reasons shown per sync: the report lists the few that matter, not every variant. */
const TOP_REASONS = 5;

/**
 * Reasons usually quote the record's value (`no contacts record matches email "a@b.c"`): with the
 * quoted parts and long numbers replaced, rejections of one kind count as one reason.
 */
export function reasonKind(reason: string): string {
  return reason
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b\d{3,}\b/g, '…');
}

/** Per sync, its most frequent kinds of reason (at most TOP_REASONS), most frequent first. */
export function topReasons(rows: readonly ReasonRow[]): HealthData['rejectReasons'] {
  const counts = new Map<string, { sync: string; reason: string; count: number }>();
  for (const row of rows) {
    const reason = reasonKind(row.reason ?? '(no reason given)');
    const key = `${row.sync}\u0000${reason}`;
    const entry = counts.get(key) ?? { sync: row.sync, reason, count: 0 };
    entry.count += row.n;
    counts.set(key, entry);
  }
  const out: { sync: string; reason: string; count: number }[] = [];
  const bySync = new Map<string, number>();
  for (const entry of [...counts.values()].sort(
    (a, b) => b.count - a.count || a.reason.localeCompare(b.reason),
  )) {
    const n = bySync.get(entry.sync) ?? 0;
    if (n >= TOP_REASONS) continue;
    bySync.set(entry.sync, n + 1);
    out.push(entry);
  }
  return out;
}
