import type { SyncReport } from '../../reverse/run-sync.js';
import { formatTable as table } from './extract-stage.js';

function show(value: unknown): string {
  if (value === undefined) return '∅';
  const s = JSON.stringify(value);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** The end-of-run summary per sync, then what needs attention: problems, errors, rejections, diffs. */
export function formatReverseReport(reports: readonly SyncReport[], dryRun: boolean): string {
  const out: string[] = [];
  const rows = reports.map((r) => {
    const changed = r.plan ? r.plan.changedNew + r.plan.changedUpdated : 0;
    const rejected = (r.counts?.invalid ?? 0) + (r.counts?.rejected ?? 0);
    return [
      r.sync,
      `${r.crm}.${r.object}`,
      r.plan ? `${r.plan.rows}${r.plan.noKey > 0 ? ` (${r.plan.noKey} without a match value)` : ''}` : '-',
      r.plan ? String(r.plan.unchanged) : '-',
      String(changed),
      dryRun ? '-' : String(r.counts?.written ?? 0),
      dryRun ? '-' : String(r.counts?.skipped ?? 0),
      `${rejected}${r.plan && r.plan.repeatedlyFailing > 0 ? ` (${r.plan.repeatedlyFailing} again)` : ''}`,
      dryRun
        ? `~${r.estimatedCalls ?? 0}`
        : String(r.requests ?? (r.counts?.writeCalls ?? 0) + (r.counts?.readCalls ?? 0)),
      r.rejectRateExceeded ? `${r.status}, reject rate ${(r.rejectRate * 100).toFixed(1)}%` : r.status,
      `${r.seconds.toFixed(1)}s`,
    ];
  });
  out.push(
    table(
      [
        'sync',
        'to',
        'rows',
        'unchanged',
        'changed',
        'written',
        'skipped',
        'rejected',
        'calls',
        'status',
        'time',
      ],
      rows,
    ),
  );
  for (const r of reports) {
    for (const p of r.problems) out.push(`${r.sync}: ${p}`);
    if (r.error) out.push(`${r.sync}: stopped: ${r.error.code}: ${r.error.message}`);
    for (const rej of r.rejections) out.push(`${r.sync}: rejected ${rej.key ?? '(no key)'}: ${rej.reason}`);
    const counts = r.counts;
    const total = (counts?.invalid ?? 0) + (counts?.rejected ?? 0);
    if (total > r.rejections.length) {
      out.push(`${r.sync}: … ${total - r.rejections.length} more rejections in tide.push_log`);
    }
    for (const sample of r.samples) {
      const diffs = sample.diffs.map((d) => `${d.field}: ${show(d.before)} → ${show(d.after)}`).join(', ');
      out.push(`${r.sync}: ${sample.key}: ${diffs || '(values unchanged; re-sent after a failure)'}`);
    }
  }
  if (dryRun) out.push('dry run: nothing was written to any CRM or to tide.pushed / tide.push_log');
  return out.join('\n');
}
