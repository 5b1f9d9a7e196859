import { TideError } from '../../core/tide-error.js';
import { PAGE_LIMIT, type Page } from './activecampaign-client.js';

/** Rows each offset page re-reads of the previous one: rows deleted meanwhile shift offsets. */
export const PAGE_OVERLAP = 5;
/** An empty page while `meta.total` says more remain is asked again this many times. */
const EMPTY_PAGE_RETRIES = 3;

interface Identified {
  readonly id: string;
}

/**
 * A full refresh replaces the table with what it read, so every row it did not see is marked
 * deleted: after a walk that may have skipped rows it must not commit at all. Throwing aborts the
 * package (nothing is replaced, the cursor stays) and the run ends partial with this message.
 */
export function refuseIncompleteReplace(stream: string, walk: { readonly complete: boolean }): void {
  if (walk.complete) return;
  throw new TideError(
    'source_error',
    `ActiveCampaign ${stream}: records were deleted faster than the full refresh could page past them, so some live records may have been skipped; nothing was replaced`,
    { hint: 'run the full refresh again (preferably while fewer records are being deleted)' },
  );
}

/**
 * Offset paging (`limit=100&offset=…`, the only paging most v3 lists have) that survives rows
 * disappearing mid-walk: each page re-reads the last PAGE_OVERLAP rows of the one before and drops
 * rows it has already seen. A page whose first row is new means more rows vanished than the overlap
 * covers, so some may have been skipped: `complete` turns false, and the caller must not treat the
 * ids it saw as everything that exists (nor advance a cursor past the walk).
 */
export class OffsetWalk<T extends Identified> {
  readonly #what: string;
  readonly #fetch: (offset: number, limit: number) => Promise<Page<T>>;
  readonly #seen = new Set<string>();
  #complete = true;
  #total: number | null = null;

  constructor(what: string, fetch: (offset: number, limit: number) => Promise<Page<T>>) {
    this.#what = what;
    this.#fetch = fetch;
  }

  /** False when rows may have been skipped (more deletions mid-walk than the overlap absorbs). */
  get complete(): boolean {
    return this.#complete;
  }

  /** Every id the walk saw, once it has ended. */
  get seen(): ReadonlySet<string> {
    return this.#seen;
  }

  /** `meta.total` of the first page (what the query matched when the walk began). */
  get firstTotal(): number | null {
    return this.#total;
  }

  /** Pages of rows not seen before, in list order. */
  async *pages(): AsyncGenerator<readonly T[]> {
    let offset = 0;
    for (let empties = 0; ; ) {
      const page = await this.#fetch(offset, PAGE_LIMIT);
      this.#total ??= page.total;
      if (page.items.length === 0) {
        if (page.total !== null && offset < page.total && empties < EMPTY_PAGE_RETRIES) {
          empties++;
          continue;
        }
        if (page.total !== null && offset < page.total) {
          throw new TideError(
            'malformed_response',
            `ActiveCampaign ${this.#what}: page at offset ${offset} is empty although meta.total is ${page.total}`,
          );
        }
        // After a full page the re-read rows should come back: if they vanished, more may have.
        if (offset > 0) this.#complete = false;
        return;
      }
      empties = 0;
      if (offset > 0 && !this.#seen.has(page.items[0]!.id)) this.#complete = false;
      const fresh = page.items.filter((row) => !this.#seen.has(row.id));
      for (const row of fresh) this.#seen.add(row.id);
      yield fresh;
      if (page.items.length < PAGE_LIMIT) return;
      offset += page.items.length - PAGE_OVERLAP;
    }
  }
}

/**
 * The reference's advice for large contact sets: `orders[id]=ASC` plus `id_greater=<last id>`
 * instead of deep offsets. Deletions cannot shift such a walk, so it never skips a row. Whether
 * `meta.total` counts the rows above `id_greater` or the whole query is not documented, so an empty
 * page ends the walk when the total is 0 or the walk has seen at least that many rows; otherwise it
 * is asked again (an empty page the API should not have served), then refused.
 */
export async function* idGreaterWalk<T extends Identified>(
  what: string,
  fetch: (afterId: number, limit: number) => Promise<Page<T>>,
): AsyncGenerator<Page<T>> {
  let after = 0;
  let seen = 0;
  for (let empties = 0; ; ) {
    const page = await fetch(after, PAGE_LIMIT);
    if (page.items.length === 0) {
      const more = page.total !== null && page.total > 0;
      if (more && empties < EMPTY_PAGE_RETRIES) {
        empties++;
        continue;
      }
      if (more && seen < (page.total ?? 0)) {
        throw new TideError(
          'malformed_response',
          `ActiveCampaign ${what}: empty page after id ${after} although meta.total is ${page.total}`,
        );
      }
      return;
    }
    empties = 0;
    seen += page.items.length;
    yield page;
    const last = Number(page.items[page.items.length - 1]!.id);
    if (!Number.isFinite(last) || last <= after) {
      throw new TideError('pagination_loop', `ActiveCampaign ${what}: ids do not advance past ${after}`);
    }
    after = last;
    if (page.items.length < PAGE_LIMIT) return;
  }
}
