import { type CursorState, cursorMs } from '../../core/cursor-state.js';

const HOUR_MS = 3_600_000;

/**
 * Whether an incremental read of a stream without a deletions feed should also list every live id
 * (an ids-only walk; the load marks the rest deleted). `everyHours` null = never, 0 = every run;
 * otherwise on the first run after each multiple of it (UTC), told apart by the saved cursor: a
 * reconciling run moves the cursor to its start (`afterReconcile`), so later runs in the same period
 * see a cursor inside it. No state beyond the cursor is needed.
 */
export function reconcileDue(
  everyHours: number | null,
  previous: CursorState | null,
  runStartedAt: Date,
): boolean {
  if (everyHours === null || previous === null) return false;
  if (everyHours === 0) return true;
  const period = everyHours * HOUR_MS;
  return Math.floor(runStartedAt.getTime() / period) > Math.floor(cursorMs(previous.value) / period);
}

/**
 * The cursor after a reconciling run: at least the run's start. Safe because the read covered every
 * change up to now (its lower bound was the previous cursor minus the overlap), exactly what the
 * tracker's cap at the run start already assumes.
 */
export function afterReconcile(state: CursorState | null, runStartedAt: Date): CursorState {
  if (state !== null && cursorMs(state.value) >= runStartedAt.getTime()) return state;
  return { value: runStartedAt.toISOString(), ids: [] };
}
