import { describe, expect, it } from 'vitest';
import type { WriteOutcome, WriteRecord } from '../../core/destination.js';
import { isolatingWrite } from '../../reverse/isolating-write.js';

const records = (n: number): WriteRecord[] =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}`, matchValue: `k${i}`, values: { f: i } }));

/** A CRM that refuses a whole call when it contains a poisoned record. */
function refusingCrm(poisoned: ReadonlySet<string>) {
  const calls: number[] = [];
  const write = async (batch: readonly WriteRecord[]): Promise<WriteOutcome[]> => {
    calls.push(batch.length);
    const bad = batch.find((r) => poisoned.has(r.key));
    if (bad)
      return batch.map((r) => ({
        status: 'not-executed',
        key: r.key,
        reason: `invalid value in ${bad.key}`,
      }));
    return batch.map((r) => ({ status: 'written', key: r.key, crmId: r.key, created: false }));
  };
  return { write, calls };
}

describe('isolatingWrite', () => {
  it('one call when the CRM accepts the batch', async () => {
    const crm = refusingCrm(new Set());
    const stats = { calls: 0 };
    const out = await isolatingWrite(crm.write, records(100), stats);
    expect(out.filter((o) => o.status === 'written')).toHaveLength(100);
    expect(stats.calls).toBe(1);
  });

  it('isolates one bad record by bisection: the 99 others are written', async () => {
    const crm = refusingCrm(new Set(['k37']));
    const stats = { calls: 0 };
    const out = await isolatingWrite(crm.write, records(100), stats);
    expect(out).toHaveLength(100);
    expect(out.filter((o) => o.status === 'written')).toHaveLength(99);
    expect(out.find((o) => o.key === 'k37')).toEqual({
      status: 'rejected',
      key: 'k37',
      reason: 'invalid value in k37',
    });
    // k37's halves: 100 → 50 → 25 → 13 → 6 → 3 → 1, two calls per split (the clean half is written).
    expect(stats.calls).toBe(1 + 2 * 6);
  });

  it('keeps per-record rejections as they are and never assumes an unmentioned record written', async () => {
    const calls: string[][] = [];
    const write = async (batch: readonly WriteRecord[]): Promise<WriteOutcome[]> => {
      calls.push(batch.map((r) => r.key));
      // k1 is rejected by name; k2 is silently missing from the answer.
      return batch
        .filter((r) => r.key !== 'k2')
        .map(
          (r): WriteOutcome =>
            r.key === 'k1'
              ? { status: 'rejected', key: r.key, reason: 'INVALID_EMAIL' }
              : { status: 'written', key: r.key, crmId: null, created: false },
        );
    };
    const out = await isolatingWrite(write, records(4));
    expect(out.find((o) => o.key === 'k1')).toMatchObject({ status: 'rejected', reason: 'INVALID_EMAIL' });
    expect(out.find((o) => o.key === 'k2')).toEqual({
      status: 'rejected',
      key: 'k2',
      reason: 'the CRM returned no result for this record',
    });
    expect(calls).toEqual([['k0', 'k1', 'k2', 'k3'], ['k2']]);
  });

  it('every record bad: each ends rejected alone, none written', async () => {
    const keys = records(8).map((r) => r.key);
    const crm = refusingCrm(new Set(keys));
    const out = await isolatingWrite(crm.write, records(8));
    expect(out.map((o) => o.status)).toEqual(Array(8).fill('rejected'));
    expect(crm.calls).toEqual([8, 4, 2, 1, 1, 2, 1, 1, 4, 2, 1, 1, 2, 1, 1]);
  });
});
