import { toIso } from '../core/cursor-state.js';

/**
 * The `deletesCheckedAt` part of a RecordBatch (core/record.ts), spread into the batch that ends a
 * delete check: `{ deletesCheckedAt }` when `at` is given, nothing when the read did not check
 * (exactOptionalPropertyTypes: an absent field, never `undefined`).
 */
export function deletesChecked(at: Date | number | null): { deletesCheckedAt?: string } {
  return at === null ? {} : { deletesCheckedAt: toIso(at) };
}
