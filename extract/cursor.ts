import { type CursorState, cursorMs } from '../core/cursor-state.js';

/**
 * The cursor math every source uses (the state itself is core/cursor-state.ts): where a read starts,
 * and which cursor is safe to save after the records a read emitted.
 */

/**
 * Where a read starts: the saved cursor minus the overlap, or the configured start date on a first
 * run (null = from the beginning). Inclusive.
 */
export function lowerBound(
  state: CursorState | null,
  options: { readonly overlapMs: number; readonly startDate: string | null },
): Date | null {
  if (state === null) return options.startDate === null ? null : new Date(cursorMs(options.startDate));
  return new Date(cursorMs(state.value) - options.overlapMs);
}

/**
 * Follows the records of one read and yields the cursor that is safe to save. Feed it every record
 * in the order they are emitted; it answers whether the record is new (false = already loaded at the
 * previous cursor's exact value, skip it).
 */
export class CursorTracker {
  readonly #previous: CursorState | null;
  readonly #previousIds: ReadonlySet<string>;
  readonly #ceilingMs: number;
  #maxMs = Number.NEGATIVE_INFINITY;
  #idsAtMax = new Set<string>();

  constructor(previous: CursorState | null, runStartedAt: Date) {
    this.#previous = previous;
    this.#previousIds = new Set(previous?.ids ?? []);
    this.#ceilingMs = runStartedAt.getTime();
    if (previous !== null) {
      this.#maxMs = cursorMs(previous.value);
      this.#idsAtMax = new Set(previous.ids);
    }
  }

  /** Returns false when this exact (id, value) was loaded by the previous run. */
  observe(record: { readonly id: string; readonly updatedAt: string }): boolean {
    const ms = cursorMs(record.updatedAt);
    const previousMs = this.#previous === null ? null : cursorMs(this.#previous.value);
    const alreadyLoaded = previousMs === ms && this.#previousIds.has(record.id);
    // The cursor never passes the run's start: a record written during the run with a timestamp
    // earlier than a sibling we already saw could otherwise fall behind the cursor.
    const capped = Math.min(ms, this.#ceilingMs);
    if (capped > this.#maxMs) {
      this.#maxMs = capped;
      this.#idsAtMax = new Set();
    }
    if (capped === this.#maxMs && ms === capped) this.#idsAtMax.add(record.id);
    return !alreadyLoaded;
  }

  /** The cursor covering everything observed so far (null when nothing was ever seen). */
  state(): CursorState | null {
    if (!Number.isFinite(this.#maxMs)) return this.#previous;
    return { value: new Date(this.#maxMs).toISOString(), ids: [...this.#idsAtMax].sort() };
  }
}

/**
 * The cursor to save after a complete read: the tracker's, or — when nothing newer was seen — the
 * server's time before the read began (capped at the run start). Every record modified before that
 * instant was read, so a quiet stream's cursor moves with time instead of staying at its last change
 * (Salesforce: which would soon fall out of the 30-day deletion log and force resyncs; Dynamics: which
 * would trigger the periodic reconcile on every run).
 */
export function finalCursor(
  tracked: CursorState | null,
  serverBeforeReadMs: number | null,
  runStartedAt: Date,
): CursorState | null {
  if (serverBeforeReadMs === null) return tracked;
  const safeMs = Math.min(Math.floor(serverBeforeReadMs / 1000) * 1000, runStartedAt.getTime());
  if (tracked !== null && cursorMs(tracked.value) >= safeMs) return tracked;
  return { value: new Date(safeMs).toISOString(), ids: [] };
}

/**
 * The cursor covering two complete reads of one stream from separate lists (changed records and
 * deleted ones, each with its own tracker): the later of the two, with the ids of both when they
 * stand at the same value.
 */
export function laterCursor(a: CursorState | null, b: CursorState | null): CursorState | null {
  if (a === null) return b;
  if (b === null) return a;
  const diff = cursorMs(a.value) - cursorMs(b.value);
  if (diff !== 0) return diff > 0 ? a : b;
  return { value: a.value, ids: [...new Set([...a.ids, ...b.ids])].sort() };
}
