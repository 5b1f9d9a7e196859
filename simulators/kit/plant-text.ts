import { z } from 'zod';

/**
 * `POST /_sim/plant-text`: hostile text the fault suite needs in a CRM's records (lone surrogates, NUL,
 * injection strings, megabyte values), put straight into the store as if another integration had
 * written it — past the vendor's API validation, which is exactly how such values reach real CRMs.
 * Each value goes into one text field of one live record of the contact-like object; the record's
 * last-modified becomes `modifiedAt` (default: the simulator's now), so an incremental read sees it.
 */
export const PlantTextSchema = z
  .object({
    values: z.array(z.string()).min(1).max(1000),
    /** ISO datetime; may lie far in the future (a CRM that stamps a bad clock). */
    modifiedAt: z.iso.datetime({ offset: true }).optional(),
    /**
     * Schema drift: a new custom text field, created first, that takes the values (absent: the
     * object's usual text field). A simulator that cannot add fields at runtime refuses it.
     */
    field: z.string().min(1).max(100).optional(),
  })
  .strict();
export type PlantTextInput = z.input<typeof PlantTextSchema>;

export interface PlantedText {
  /** The vendor's object name (`contacts`, `Contact`, `persons`), also the Tide stream that reads it. */
  readonly object: string;
  /** The vendor's field name the values went into. */
  readonly field: string;
  /** The records' ids as the vendor's API gives them, in the order of `values`. */
  readonly ids: readonly string[];
}

/** Picks the first `n` records of a store that `isLive` accepts, in the store's own order. */
export function firstLive<T>(
  size: number,
  at: (i: number) => T,
  isLive: (item: T) => boolean,
  n: number,
): T[] {
  const out: T[] = [];
  for (let i = 0; i < size && out.length < n; i++) {
    const item = at(i);
    if (isLive(item)) out.push(item);
  }
  if (out.length < n) throw new Error(`the simulator holds only ${out.length} live records, ${n} asked for`);
  return out;
}
