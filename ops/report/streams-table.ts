import { humanAge } from '../../core/human-age.js';
import type { StreamStatus } from '../../load/warehouse.js';
import { esc, num, table } from './report-html.js';

/**
 * Each stream as the warehouse holds it when the report is written (what `tide status` prints): rows,
 * deletes, the last load and when deletes were last checked against the CRM. Several connectors check
 * deletes only on a cadence (HubSpot's archived sweep, ActiveCampaign's id listing), so a stream whose
 * check is old, or never happened, is flagged: its deleted records may still count as live.
 */
export function streamsTable(streams: readonly StreamStatus[], now: Date): string {
  if (streams.length === 0) return '';
  const age = (at: string | null): string => {
    if (at === null) return 'never';
    const ms = Date.parse(at);
    return Number.isNaN(ms)
      ? esc(at)
      : `${humanAge(Math.max(0, Math.round((now.getTime() - ms) / 1000)))} ago`;
  };
  const rows = streams.map((s) => {
    const stale =
      s.deletesCheckedAt === null ||
      (s.lastCompletedAt !== null && Date.parse(s.deletesCheckedAt) < Date.parse(s.lastCompletedAt) - DAY_MS);
    return `<tr class="${stale ? 'stale' : ''}"><td><code>${esc(s.source)}.${esc(s.stream)}</code></td><td class="n">${num(s.rowCount)}</td><td class="n">${num(s.deletedCount)}</td><td>${age(s.lastCompletedAt)}</td><td>${age(s.deletesCheckedAt)}</td><td>${esc(s.newestRecordAt ?? '–')}</td></tr>`;
  });
  return `<section id="streams"><h2>Streams now</h2><p class="meta">as <code>tide status</code> shows them; a highlighted row's deletes were never checked, or last checked more than a day before its last load</p>${table(['stream', 'rows', 'deleted', 'last load', 'deletes checked', 'newest record'], rows)}</section>`;
}

const DAY_MS = 86_400_000;
