import { TideError } from '../../core/tide-error.js';
import type { HubspotClient, SearchFilter } from './hubspot-client.js';
import { hubspotTime } from './hubspot-record.js';
import type { HubspotObject } from './hubspot-schemas.js';

/** HubSpot answers 400 past 10,000 results of one search query. */
export const SEARCH_RESULT_CAP = 10_000;
const PAGE = 200;

export interface SearchWalk {
  readonly objectType: string;
  readonly cursorProperty: string;
  /** Inclusive lower bound in epoch ms (null = from the beginning). */
  readonly fromMs: number | null;
  readonly properties: readonly string[];
  readonly signal?: AbortSignal;
  /** Told HubSpot's `total` of the first query: every record the walk will return (for progress). */
  readonly onTotal?: (total: number) => void;
}

/**
 * Walks every record modified at or after `fromMs`, ascending by last-modified, in pages. HubSpot caps
 * one query at 10,000 results and allows one sort, so before a query would pass the cap the walk
 * re-anchors a new query at the last timestamp it saw (dropping the ids it already returned at that
 * timestamp). When a single timestamp alone holds more than a window, that timestamp is walked by
 * id instead (EQ timestamp, hs_object_id ascending, re-anchored on the last id).
 */
export async function* walkSearch(
  client: HubspotClient,
  walk: SearchWalk,
): AsyncGenerator<readonly HubspotObject[]> {
  let anchor = walk.fromMs ?? 0;
  let seenAtAnchor = new Set<string>();
  const properties = [...new Set([...walk.properties, walk.cursorProperty, 'hs_object_id'])];
  let first = true;

  for (;;) {
    let after = 0;
    let lastTs: number | null = null;
    let idsAtLast = new Set<string>();
    let exhausted = false;
    for (;;) {
      const page = await client.search(
        walk.objectType,
        {
          filters: [{ propertyName: walk.cursorProperty, operator: 'GTE', value: String(anchor) }],
          sort: { propertyName: walk.cursorProperty, direction: 'ASCENDING' },
          properties,
          after,
        },
        walk.signal,
      );
      if (first && page.total !== undefined) walk.onTotal?.(page.total);
      first = false;
      const fresh: HubspotObject[] = [];
      for (const record of page.results) {
        const ts = hubspotTime(record.properties[walk.cursorProperty]) ?? anchor;
        if (ts === anchor && seenAtAnchor.has(record.id)) continue;
        fresh.push(record);
        if (lastTs === null || ts > lastTs) {
          lastTs = ts;
          idsAtLast = new Set();
        }
        if (ts === lastTs) idsAtLast.add(record.id);
      }
      if (fresh.length > 0) yield fresh;
      const next = page.paging?.next?.after;
      // Never stop on a short page while HubSpot still offers a next page.
      if (next === undefined) {
        exhausted = true;
        break;
      }
      const nextAfter = Number(next);
      if (!Number.isInteger(nextAfter) || nextAfter <= after) {
        throw new TideError(
          'pagination_loop',
          `HubSpot search paging did not advance (after ${after} → ${next})`,
        );
      }
      after = nextAfter;
      if (after + PAGE > SEARCH_RESULT_CAP) break;
    }
    if (exhausted) return;
    if (lastTs === null || lastTs === anchor) {
      // One timestamp fills a whole window: walk that timestamp by id, then move past it.
      yield* walkTimestampById(client, walk, anchor, properties);
      anchor += 1;
      seenAtAnchor = new Set();
      continue;
    }
    anchor = lastTs;
    seenAtAnchor = idsAtLast;
  }
}

async function* walkTimestampById(
  client: HubspotClient,
  walk: SearchWalk,
  ts: number,
  properties: readonly string[],
): AsyncGenerator<readonly HubspotObject[]> {
  let lastId: string | null = null;
  for (;;) {
    let after = 0;
    let reanchor = false;
    for (;;) {
      const filters: SearchFilter[] = [
        { propertyName: walk.cursorProperty, operator: 'EQ', value: String(ts) },
      ];
      if (lastId !== null) filters.push({ propertyName: 'hs_object_id', operator: 'GT', value: lastId });
      const page = await client.search(
        walk.objectType,
        { filters, sort: { propertyName: 'hs_object_id', direction: 'ASCENDING' }, properties, after },
        walk.signal,
      );
      if (page.results.length > 0) yield page.results;
      const last = page.results[page.results.length - 1];
      const next = page.paging?.next?.after;
      if (next === undefined) return;
      const nextAfter = Number(next);
      if (!Number.isInteger(nextAfter) || nextAfter <= after) {
        throw new TideError(
          'pagination_loop',
          `HubSpot search paging did not advance (after ${after} → ${next})`,
        );
      }
      after = nextAfter;
      if (after + PAGE > SEARCH_RESULT_CAP) {
        if (last === undefined) return;
        lastId = last.id;
        reanchor = true;
        break;
      }
    }
    if (!reanchor) return;
  }
}
