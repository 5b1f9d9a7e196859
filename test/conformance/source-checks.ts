import type { ColumnSpec } from '../../core/column-spec.js';
import type { SourceRecord } from '../../core/record.js';
import { latestById } from './read-stream.js';

/**
 * The source contract as plain functions: each throws a message naming what a broken source did, so
 * source-conformance-can-fail.test.ts can prove every one of them fails on a deliberately broken read.
 */

const sample = (ids: readonly string[]): string => `${ids.length} (${ids.slice(0, 5).join(',')})`;

/** Every record is well-formed: string id, ISO timestamp, boolean deleted flag, object fields. */
export function checkRecordShape(records: readonly SourceRecord[]): void {
  for (const r of records) {
    if (typeof r.id !== 'string' || r.id === '')
      throw new Error(`record without id: ${JSON.stringify(r).slice(0, 200)}`);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r.updatedAt))
      throw new Error(`record ${r.id}: updatedAt ${r.updatedAt} is not ISO ms UTC`);
    if (typeof r.deleted !== 'boolean') throw new Error(`record ${r.id}: deleted is not a boolean`);
    if (r.fields === null || typeof r.fields !== 'object')
      throw new Error(`record ${r.id}: fields is not an object`);
  }
}

/** After upserting `records`, the table equals the truth: same ids, same deleted flags. */
export function checkMatchesTruth(
  records: readonly SourceRecord[],
  truth: ReadonlyMap<string, boolean>,
): void {
  const loaded = latestById(records);
  const missing = [...truth.keys()].filter((id) => !loaded.has(id));
  const extra = [...loaded.keys()].filter((id) => !truth.has(id));
  const wrongDeleted = [...truth]
    .filter(([id, deleted]) => loaded.has(id) && loaded.get(id)?.deleted !== deleted)
    .map(([id]) => id);
  if (missing.length + extra.length + wrongDeleted.length > 0) {
    throw new Error(
      `warehouse would differ from the CRM: missing ${sample(missing)}, extra ${sample(extra)}, wrong deleted flag ${sample(wrongDeleted)}`,
    );
  }
}

/** An incremental read contains every changed id, and is small: it grows with the changes. */
export function checkIncremental(
  records: readonly SourceRecord[],
  changed: readonly string[],
  tableSize: number,
): void {
  checkContains(records, changed, 'incremental read');
  if (records.length > Math.max(changed.length * 3, changed.length + 250) && records.length > tableSize / 2) {
    throw new Error(
      `incremental read returned ${records.length} records for ${changed.length} changes (table ${tableSize})`,
    );
  }
}

/** Every one of `ids` was read. */
export function checkContains(records: readonly SourceRecord[], ids: readonly string[], what: string): void {
  const read = new Set(records.map((r) => r.id));
  const lost = ids.filter((id) => !read.has(id));
  if (lost.length > 0) throw new Error(`${what} missed ${sample(lost)} changed records`);
}

/**
 * No version of a record arrives twice: across a crashed read and the read that resumed it, or
 * within one read (its pages overlapping, or ties at the cursor read again).
 */
export function checkEachVersionOnce(...reads: readonly (readonly SourceRecord[])[]): void {
  const seen = new Set<string>();
  const doubled: string[] = [];
  for (const records of reads) {
    for (const r of records) {
      const key = `${r.id}@${r.updatedAt}`;
      if (seen.has(key)) doubled.push(r.id);
      seen.add(key);
    }
  }
  if (doubled.length > 0) throw new Error(`read twice: ${sample(doubled)}`);
}

/** Each record appears at most once in one read (an overlap re-read must not repeat a record). */
export function checkEachIdOnce(records: readonly SourceRecord[]): void {
  const seen = new Set<string>();
  const repeated = records.filter((r) => seen.has(r.id) || !seen.add(r.id)).map((r) => r.id);
  if (repeated.length > 0) throw new Error(`one read returned ${sample(repeated)} records more than once`);
}

/**
 * A crash inside a tie lost nothing it cannot get back: what was committed holds some but not all of
 * the tied records, so the checkpoint fell inside the tie (otherwise the case proved nothing).
 */
export function checkCheckpointInsideTie(kept: readonly SourceRecord[], tied: readonly string[]): void {
  const ids = new Set(kept.map((r) => r.id));
  const committed = tied.filter((id) => ids.has(id)).length;
  if (committed === 0)
    throw new Error(
      `no checkpoint after the first page of a ${tied.length}-record tie: a crash there re-reads the whole tie`,
    );
  if (committed === tied.length)
    throw new Error(
      `all ${tied.length} tied records arrived before the first checkpoint: the tie fit one page`,
    );
}

/** Deleted records arrive flagged deleted (their newest version). */
export function checkDeleted(records: readonly SourceRecord[], removed: readonly string[]): void {
  const latest = latestById(records);
  const notFlagged = removed.filter((id) => latest.get(id)?.deleted !== true);
  if (notFlagged.length > 0) throw new Error(`deletes not flagged deleted: ${sample(notFlagged)}`);
}

/**
 * A full refresh says up to when it checked deletes (it replaces the table, so it always has): a
 * timestamp no earlier than a minute before the run started (a CRM clock's whole seconds, a little
 * skew) and no later than a minute after the read ended.
 */
export function checkDeletesChecked(
  deletesCheckedAt: string | null,
  runStartedAt: Date,
  readEndedAt: Date,
): void {
  if (deletesCheckedAt === null) throw new Error('a full refresh did not say it checked deletes');
  const ms = Date.parse(deletesCheckedAt);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(deletesCheckedAt) || !Number.isFinite(ms))
    throw new Error(`deletesCheckedAt ${deletesCheckedAt} is not ISO ms UTC`);
  const slack = 60_000;
  if (ms < runStartedAt.getTime() - slack || ms > readEndedAt.getTime() + slack)
    throw new Error(
      `deletesCheckedAt ${deletesCheckedAt} is not the read's start (run started ${runStartedAt.toISOString()})`,
    );
}

/** A custom field added mid-stream is a column, and the records given a value carry it. */
export function checkCustomField(
  columns: readonly ColumnSpec[],
  records: readonly SourceRecord[],
  field: string,
  ids: readonly string[],
): void {
  if (!columns.some((c) => c.name === field))
    throw new Error(`columns() does not list the new field ${field}: ${columns.length} columns`);
  const latest = latestById(records);
  const empty = ids.filter((id) => {
    const value = latest.get(id)?.fields[field];
    return value === undefined || value === null || value === '';
  });
  if (empty.length > 0) throw new Error(`values of the new field ${field} missing on ${sample(empty)}`);
}

/** The case met the fault it set (otherwise a passing read proves nothing about the fault). */
export function checkFaultServed(pending: number, fault: string): void {
  if (pending > 0)
    throw new Error(`${pending} ${fault} fault(s) were never served: the case did not meet them`);
}
