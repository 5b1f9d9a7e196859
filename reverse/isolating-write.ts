import type { WriteOutcome, WriteRecord } from '../core/destination.js';

export type WriteCall = (records: readonly WriteRecord[]) => Promise<readonly WriteOutcome[]>;

export interface IsolationStats {
  /** Write calls made, the first one included. */
  calls: number;
}

/**
 * One write call, then bisection of whatever the CRM refused as a group: a batch refused because of
 * one bad record is split until that record is alone, so the good ones are written and the bad one is
 * rejected with the CRM's own reason. Every record gets exactly one outcome; a record the CRM did not
 * mention is retried alone and then rejected, never assumed written.
 */
export async function isolatingWrite(
  write: WriteCall,
  records: readonly WriteRecord[],
  stats: IsolationStats = { calls: 0 },
): Promise<WriteOutcome[]> {
  if (records.length === 0) return [];
  stats.calls++;
  const answered = await write(records);
  const byKey = new Map<string, WriteOutcome>();
  for (const outcome of answered) if (!byKey.has(outcome.key)) byKey.set(outcome.key, outcome);

  // The sync is stopping: keep what the CRM confirmed, split nothing.
  if (answered.some((o) => o.status === 'not-executed' && o.fatal !== undefined)) {
    return records.map(
      (r) =>
        byKey.get(r.key) ?? { status: 'not-executed', key: r.key, reason: 'not tried: the sync is stopping' },
    );
  }
  const done: WriteOutcome[] = [];
  const retry: WriteRecord[] = [];
  let reason = 'the CRM returned no result for this record';
  for (const record of records) {
    const outcome = byKey.get(record.key);
    if (outcome === undefined || outcome.status === 'not-executed') {
      if (outcome !== undefined) reason = outcome.reason;
      retry.push(record);
    } else done.push(outcome);
  }
  if (retry.length === 0) return done;
  if (records.length === 1) {
    return [...done, { status: 'rejected', key: records[0]!.key, reason }];
  }
  const half = Math.ceil(retry.length / 2);
  done.push(...(await isolatingWrite(write, retry.slice(0, half), stats)));
  done.push(...(await isolatingWrite(write, retry.slice(half), stats)));
  return done;
}
