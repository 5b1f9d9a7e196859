import { type CursorState, cursorMs } from '../../core/cursor-state.js';

const HOUR_MS = 3_600_000;

/**
 * Whether an incremental HubSpot read lists the archived records (search never returns them, so the
 * `archived=true` list is the only way to see deletes; it costs one call per 100 archived records,
 * however long ago they were archived), and from which `archivedAt` on its results are new.
 *
 * `everyHours` 0 = every run (from the read's lower bound); null = never; otherwise on the first run
 * after each multiple of it (UTC, HubSpot's clock), told apart by the saved cursor: a run that skips
 * the sweep leaves its cursor in the same period (it is capped at the read's start), so the previous
 * sweep happened at or after the start of the cursor's period, and a sweep reads from there. No state
 * beyond the cursor is needed. Returns null when no sweep is due.
 */
export function archivedSweepFrom(
  everyHours: number | null,
  previous: CursorState,
  options: { readonly nowMs: number; readonly lowerBoundMs: number; readonly overlapMs: number },
): number | null {
  if (everyHours === null) return null;
  if (everyHours === 0) return options.lowerBoundMs;
  const period = everyHours * HOUR_MS;
  const cursorPeriod = Math.floor(cursorMs(previous.value) / period);
  if (Math.floor(options.nowMs / period) <= cursorPeriod) return null;
  return Math.min(options.lowerBoundMs, cursorPeriod * period - options.overlapMs);
}
