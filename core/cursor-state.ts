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
  /**
   * An opaque resume point the CRM itself handed out (Dataverse change tracking's delta link),
   * saved and restored together with `value` and `ids`. Absent for cursors that are timestamps only.
   * When present, `value` still holds the newest last-modified the loaded data covers (status output
   * shows it; a source that can no longer use the token falls back to it), and the source alone
   * interprets the token: the warehouse stores it verbatim.
   */
  readonly token?: string;
}

/** A cursor as `{ value, ids }` plus `token` only when there is one (exactOptionalPropertyTypes). */
export function cursorState(value: string, ids: readonly string[], token?: string | null): CursorState {
  return token === undefined || token === null ? { value, ids } : { value, ids, token };
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
