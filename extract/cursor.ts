/**
 * The one cursor module every source uses.
 *
 * A cursor is the pair (value, ids): the newest last-modified value whose records are all loaded, and
 * the ids of the records seen *at* that value. Reads use an inclusive lower bound (value − overlap), so
 * records sharing the cursor's timestamp are never lost; the ids let the next run drop the ties it has
 * already loaded instead of loading them again. Records inside the overlap window are re-read on
 * purpose: a CRM's search index can show a write made before the cursor only after the cursor moved
 * (HubSpot documents this lag). Re-reading them is harmless because loads upsert by primary key.
 */
export interface CursorState {
  /** ISO-8601 UTC with milliseconds. */
  readonly value: string;
  /** Ids of the records whose last-modified equals `value`, sorted. */
  readonly ids: readonly string[];
}

export function toIso(input: string | number | Date): string {
  const ms =
    typeof input === 'number' ? input : typeof input === 'string' ? Date.parse(input) : input.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not a timestamp: ${String(input)}`);
  return new Date(ms).toISOString();
}

export function cursorMs(value: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`not a timestamp: ${value}`);
  return ms;
}

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
