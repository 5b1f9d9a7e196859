/**
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
