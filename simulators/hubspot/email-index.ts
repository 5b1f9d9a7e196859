import type { ObjectTable } from './object-table.js';

/**
 * Live contacts by lower-cased email, for `idProperty: "email"` reads, updates and upserts. Built on
 * first use (emails only, no other property is computed) and kept current on every write, so a
 * reverse-ETL run creating thousands of contacts never rebuilds it.
 */
export class EmailIndex {
  readonly #table: ObjectTable;
  readonly #emailOf: (slot: number) => string | null;
  #map: Map<string, number> | null = null;

  constructor(table: ObjectTable, emailOf: (slot: number) => string | null) {
    this.#table = table;
    this.#emailOf = emailOf;
  }

  /** The first-created live contact with this email (case-insensitive). */
  find(email: string): number | undefined {
    this.#map ??= this.#build();
    const slot = this.#map.get(key(email));
    return slot !== undefined && !this.#table.isArchived(slot) ? slot : undefined;
  }

  /** A slot's email changed (or it was created: `before` null). */
  changed(slot: number, before: string | null, after: string | null): void {
    if (this.#map === null) return;
    if (before && this.#map.get(key(before)) === slot) this.#map.delete(key(before));
    if (after && !this.#map.has(key(after))) this.#map.set(key(after), slot);
  }

  archived(slot: number): void {
    if (this.#map === null) return;
    const email = this.#emailOf(slot);
    if (email && this.#map.get(key(email)) === slot) this.#map.delete(key(email));
  }

  /** After bulk loads: rebuilt on next use. */
  invalidate(): void {
    this.#map = null;
  }

  #build(): Map<string, number> {
    const map = new Map<string, number>();
    for (let pos = 0; pos < this.#table.size; pos++) {
      const slot = this.#table.slotAtIdPosition(pos);
      if (this.#table.isArchived(slot) || this.#table.isMerged(slot)) continue;
      const email = this.#emailOf(slot);
      if (email && !map.has(key(email))) map.set(key(email), slot);
    }
    return map;
  }
}

function key(email: string): string {
  return email.trim().toLowerCase();
}
