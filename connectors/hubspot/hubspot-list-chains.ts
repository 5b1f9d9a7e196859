import { paginate } from '../../extract/paginator.js';
import { mergeAsOfArrival } from '../../extract/prefetch.js';
import type { HubspotClient } from './hubspot-client.js';
import type { HubspotObject } from './hubspot-schemas.js';

export interface ListChainsOptions {
  readonly objectType: string;
  readonly properties: readonly string[];
  readonly archived: boolean;
  readonly signal: AbortSignal;
  /** The account's sustained request rate (burst limit per 10 s ÷ 10). */
  readonly requestsPerSecond: number;
  /** The highest record id HubSpot knows (a search sorted by id), or null when unknown: one chain. */
  readonly highestId: number | null;
  /** The most chains one list runs at once (default 8). */
  readonly maxChains?: number;
  /** About how many records the list holds (search `total`), to keep ranges many pages long. */
  readonly expectedRecords?: number;
}

/** Ranges per chain: chains that finish early take the next range (the ids need not be even). */
const RANGES_PER_CHAIN = 2;
/**
 * Each range boundary costs about one extra request (the page that crosses it is partly the next
 * range's), so a range should span many pages.
 */
const MIN_PAGES_PER_RANGE = 20;
const DEFAULT_MAX_CHAINS = 8;

/**
 * Pages of one HubSpot list (`GET /crm/v3/objects/{type}`), read by several chains at once. HubSpot's
 * list pages in id order and its `after` is the next record id (PROTOCOL-FACTS calls it opaque; Tide
 * checks the first page before relying on it), so the id space past the first page is cut into
 * ranges `[from, to)` that chains walk at the same time, each from `after=from` until it meets an id
 * `≥ to`; the last range has no end, so records created during the read are not missed. Every
 * request still spends from the account's one rate budget: the chains only keep enough requests in
 * flight to use it, sized from the budget and the first page's latency (one request's round trip
 * times the rate it may sustain, doubled for the time a page takes to process).
 *
 * `transform` runs inside each chain (batch reads and associations of a page go out in parallel too).
 * Pages arrive in no particular order: a list read checkpoints only at its end anyway.
 */
export async function* listChains<T>(
  client: HubspotClient,
  options: ListChainsOptions,
  transform: (page: readonly HubspotObject[]) => Promise<T>,
): AsyncGenerator<T> {
  const started = performance.now();
  const first = await listPage(client, options, undefined);
  const latencyMs = performance.now() - started;
  if (first.results.length > 0) yield await transform(first.results);
  const next = first.paging?.next?.after;
  if (next === undefined || next === '') return;

  const chains = chainCount(options, latencyMs);
  const from = Number(next);
  const lastId = Number(first.results[first.results.length - 1]?.id);
  const idPaging = /^\d+$/.test(next) && Number.isSafeInteger(from) && from > lastId;
  const highest = options.highestId;
  if (chains === 1 || !idPaging || highest === null || highest < from) {
    // Not an id (or nothing known beyond it): one chain, exactly as HubSpot pages it.
    yield* mapPages(walk(client, options, next, Number.POSITIVE_INFINITY), transform);
    return;
  }
  const pages = Math.ceil((options.expectedRecords ?? Number.POSITIVE_INFINITY) / 100);
  const ranges = cut(
    from,
    highest + 1,
    Math.max(chains, Math.min(chains * RANGES_PER_CHAIN, Math.floor(pages / MIN_PAGES_PER_RANGE))),
  );
  const worker = async function* (): AsyncGenerator<readonly HubspotObject[]> {
    for (let range = ranges.shift(); range !== undefined; range = ranges.shift()) {
      yield* walk(client, options, String(range.from), range.to);
    }
  };
  const workers = Array.from({ length: chains }, () => mapPages(worker(), transform));
  yield* mergeAsOfArrival(workers, { limit: 2 });
}

/** Enough chains to keep the budget's rate in flight at the observed latency. */
export function chainCount(
  options: Pick<ListChainsOptions, 'requestsPerSecond' | 'maxChains'>,
  latencyMs: number,
): number {
  const max = options.maxChains ?? DEFAULT_MAX_CHAINS;
  const wanted = Math.ceil(options.requestsPerSecond * (latencyMs / 1000) * 2) + 1;
  return Math.max(1, Math.min(max, Number.isFinite(wanted) ? wanted : max));
}

/** `[lo, hi)` in `parts` ranges of equal id span; the last one open-ended. */
export function cut(lo: number, hi: number, parts: number): { from: number; to: number }[] {
  const span = Math.max(1, Math.ceil((hi - lo) / parts));
  const out: { from: number; to: number }[] = [];
  for (let from = lo; from < hi; from += span) out.push({ from, to: from + span });
  if (out.length === 0) out.push({ from: lo, to: Number.POSITIVE_INFINITY });
  out[out.length - 1] = { from: out[out.length - 1]!.from, to: Number.POSITIVE_INFINITY };
  return out;
}

async function* walk(
  client: HubspotClient,
  options: ListChainsOptions,
  after: string,
  to: number,
): AsyncGenerator<readonly HubspotObject[]> {
  for await (const page of paginate(
    `HubSpot ${options.objectType} list`,
    (token) => listPage(client, options, token ?? after),
    (page) => {
      const last = page.results[page.results.length - 1];
      // Past the range's end: the next range's chain reads on from here.
      if (last !== undefined && Number(last.id) >= to) return null;
      return page.paging?.next?.after;
    },
  )) {
    const inRange =
      to === Number.POSITIVE_INFINITY ? page.results : page.results.filter((o) => Number(o.id) < to);
    if (inRange.length > 0) yield inRange;
  }
}

function listPage(client: HubspotClient, options: ListChainsOptions, after: string | undefined) {
  return client.listPage(options.objectType, {
    after,
    properties: options.properties,
    archived: options.archived,
    signal: options.signal,
  });
}

async function* mapPages<T>(
  pages: AsyncIterable<readonly HubspotObject[]>,
  transform: (page: readonly HubspotObject[]) => Promise<T>,
): AsyncGenerator<T> {
  for await (const page of pages) yield await transform(page);
}
