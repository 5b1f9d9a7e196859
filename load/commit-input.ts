import { type CursorState, cursorState } from '../core/cursor-state.js';
import { TideError } from '../core/tide-error.js';
import { parseTimestampMs } from './parse-timestamp.js';
import type { CommitMarks, LoadTarget } from './warehouse.js';

/** What a commit writes besides the records, checked and copied before anything is written. */
export interface CommitInputTimes {
  readonly cursor: CursorState | null;
  readonly deletesCheckedAt: Date | null;
}

/**
 * The cursor and marks a package was asked to commit, checked the same way on every warehouse: a
 * value that is no timestamp is a bug upstream, refused before the transaction starts. The cursor is
 * copied so a caller changing its arrays afterwards cannot change what is written.
 */
export function commitInputTimes(
  target: LoadTarget,
  cursor: CursorState | null,
  marks: CommitMarks | undefined,
): CommitInputTimes {
  const refuse = (what: string, value: string): TideError =>
    new TideError(
      'warehouse_error',
      `cannot commit ${target.source}.${target.stream}: ${what} ${JSON.stringify(value)} is not a timestamp`,
      { hint: 'this is a bug in the source or the extract runner; nothing was written' },
    );
  if (cursor !== null && parseTimestampMs(cursor.value) === null) throw refuse('cursor value', cursor.value);
  const checked = marks?.deletesCheckedAt ?? null;
  const checkedMs = checked === null ? null : parseTimestampMs(checked);
  if (checked !== null && checkedMs === null) throw refuse('deletesCheckedAt', checked);
  return {
    cursor: cursor === null ? null : cursorState(cursor.value, [...cursor.ids], cursor.token),
    deletesCheckedAt: checkedMs === null ? null : new Date(checkedMs),
  };
}
