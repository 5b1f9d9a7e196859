import type { ConflictSample } from '../../reverse/conflict-resolver.js';
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
      conflictCell(r),
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
        'conflicts',
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
    for (const c of r.conflicts?.samples ?? []) out.push(`${r.sync}: ${conflictLine(c, dryRun)}`);
    const found = conflictTotal(r);
    const listed = r.conflicts?.samples.length ?? 0;
    if (found > listed) {
      out.push(`${r.sync}: … ${found - listed} more conflicts${dryRun ? '' : ' in tide.push_conflicts'}`);
    }
  }
  if (dryRun) {
    out.push(
      'dry run: nothing was written to any CRM or to tide.pushed / tide.push_log / tide.push_conflicts',
    );
  }
  return out.join('\n');
}

function conflictTotal(r: SyncReport): number {
  const s = r.conflicts?.stats;
  return s === undefined ? 0 : s.overwrite + s.keepCrm + s.report;
}

/** `2 (1 report, 1 overwrite)`: conflicts found, by the rule that decided them. */
function conflictCell(r: SyncReport): string {
  const s = r.conflicts?.stats;
  if (s === undefined) return '-';
  const total = conflictTotal(r);
  const parts = [
    s.report > 0 ? `${s.report} report` : '',
    s.keepCrm > 0 ? `${s.keepCrm} keep-crm` : '',
    s.overwrite > 0 ? `${s.overwrite} overwrite` : '',
  ].filter((p) => p !== '');
  return total === 0 ? '0' : `${total} (${parts.join(', ')})`;
}

const DOES: Readonly<Record<ConflictSample['rule'], readonly [string, string]>> = {
  overwrite: ['would be overwritten (overwrite)', "Tide's value sent over it (overwrite)"],
  'keep-crm': ['kept (keep-crm)', 'kept (keep-crm)'],
  report: ['not pushed (report)', 'not pushed (report)'],
};

/** One conflict: the record, the field, the three values, and what the rule does. */
function conflictLine(c: ConflictSample, dryRun: boolean): string {
  const does = DOES[c.rule][dryRun ? 0 : 1];
  return `conflict ${c.key} ${c.field}: CRM has ${show(c.crmValue)}, Tide last pushed ${show(c.pushedValue)}, now ${show(c.newValue)}: ${does}`;
}
