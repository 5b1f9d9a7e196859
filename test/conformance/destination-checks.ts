import type { Destination } from '../../core/destination.js';
import { observedWrites } from '../reverse/sync-harness.js';

/**
 * The destination contract as plain functions: each throws a message naming what a broken writer did,
 * so destination-conformance-can-fail.test.ts can prove every one of them fails on a broken write.
 */

const sample = (items: readonly string[]): string => `${items.length} (${items.slice(0, 5).join(', ')})`;

/** The CRMs take at most 100 records per call; a writer handed more must not send them. */
export const MAX_RECORDS_PER_CALL = 100;

/** No write call carried more than 100 records. */
export function checkBatchSizes(sizes: readonly number[]): void {
  const over = sizes.filter((n) => n > MAX_RECORDS_PER_CALL);
  if (over.length > 0) throw new Error(`write calls with more than 100 records: ${over.join(', ')}`);
}

/**
 * Write requests the CRM served for `changed` records: ceil(changed / 100) where it writes in
 * batches, one per record where it does not.
 */
export function checkWriteCalls(calls: number, changed: number, batchWrites: boolean): void {
  const expected = batchWrites ? Math.ceil(changed / MAX_RECORDS_PER_CALL) : changed;
  if (calls !== expected)
    throw new Error(
      `${calls} write calls for ${changed} changed records; expected ${expected} (${batchWrites ? 'batches of 100' : 'one per record'})`,
    );
}

/** The CRM holds the values the sync sent (numbers compared as numbers, texts as text). */
export function checkValues(
  expected: ReadonlyMap<string, number | string>,
  actual: ReadonlyMap<string, unknown>,
): void {
  const wrong: string[] = [];
  for (const [id, want] of expected) {
    const got = actual.get(id);
    const same =
      typeof want === 'number' ? Number(got) === want && got !== null && got !== '' : String(got) === want;
    if (!same) wrong.push(`${id}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
  }
  if (wrong.length > 0) throw new Error(`the CRM does not hold what was written: ${sample(wrong)}`);
}

/** Before and after a sync, a record differs only in the fields the sync maps, and in all of them. */
export function checkOnlyMapped(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  mapped: readonly string[],
): void {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed = [...keys].filter(
    (k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null),
  );
  const unmapped = changed.filter((k) => !mapped.includes(k));
  if (unmapped.length > 0) throw new Error(`fields the sync does not map changed: ${unmapped.join(', ')}`);
  const untouched = mapped.filter((k) => !changed.includes(k));
  if (untouched.length > 0) throw new Error(`mapped fields were not written: ${untouched.join(', ')}`);
}

/** The refused record is reported with the CRM's reason, and nothing else is. */
export function checkRejection(
  rejections: readonly { readonly key: string | null; readonly reason: string }[],
  key: string,
  reason: RegExp,
): void {
  if (rejections.length !== 1 || rejections[0]?.key !== key)
    throw new Error(
      `expected exactly record ${key} rejected, got ${JSON.stringify(rejections).slice(0, 300)}`,
    );
  if (!reason.test(rejections[0].reason))
    throw new Error(`rejection reason "${rejections[0].reason}" does not say what the CRM said (${reason})`);
}

/** A destination that records the size of every write call it passes on. */
export function countingWrites(real: Destination): { destination: Destination; sizes: number[] } {
  const sizes: number[] = [];
  return { destination: observedWrites(real, { before: (records) => sizes.push(records.length) }), sizes };
}
