/**
 * One ActiveCampaign resource: rows in ascending id order (the order lists answer in when no
 * `orders[...]` applies), plus an id index. New rows always get the next id, so appending keeps the
 * order; a hard delete splices the row out, which shifts every later offset by one, exactly the
 * hazard offset paging has against the real API.
 */
export class IdTable<T extends { readonly id: number }> {
  readonly #rows: T[] = [];
  readonly #byId = new Map<number, T>();
  #nextId = 1;

  get size(): number {
    return this.#rows.length;
  }

  get nextId(): number {
    return this.#nextId;
  }

  /** Every row, ascending id. Callers must not mutate the array. */
  rows(): readonly T[] {
    return this.#rows;
  }

  get(id: number): T | undefined {
    return this.#byId.get(id);
  }

  /** Adds a row whose id is above every id so far (a new id, or one loaded through /_sim/load). */
  add(row: T): T {
    if (row.id < this.#nextId)
      throw new Error(`id ${row.id} is not above the current ids (${this.#nextId - 1})`);
    this.#rows.push(row);
    this.#byId.set(row.id, row);
    this.#nextId = row.id + 1;
    return row;
  }

  /** Replaces the row with the same id (rows are immutable records). */
  replace(row: T): void {
    const at = this.#indexOf(row.id);
    if (at < 0) throw new Error(`no row ${row.id}`);
    this.#rows[at] = row;
    this.#byId.set(row.id, row);
  }

  delete(id: number): T | undefined {
    const at = this.#indexOf(id);
    if (at < 0) return undefined;
    const [row] = this.#rows.splice(at, 1);
    this.#byId.delete(id);
    return row;
  }

  /** Position of the first row with an id greater than `id` (for `id_greater` walks). */
  firstAbove(id: number): number {
    let lo = 0;
    let hi = this.#rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#rows[mid]!.id <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #indexOf(id: number): number {
    if (!this.#byId.has(id)) return -1;
    const at = this.firstAbove(id - 1);
    return this.#rows[at]?.id === id ? at : -1;
  }
}
