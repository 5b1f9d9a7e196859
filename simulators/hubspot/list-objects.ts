import type { SimResponse } from '../kit/sim-types.js';
import { associatedIds } from './association-graph.js';
import { validationError } from './hubspot-errors.js';
import { type ObjectType, parseObjectType } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';
import { publicObject, requestedProperties } from './public-object.js';

export const LIST_MAX_LIMIT = 100;

/** Parses `limit` (default `fallback`); a string when it is invalid, as the error message. */
export function parseLimit(raw: string | null, fallback: number, max: number): number | string {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) return `limit must be a positive integer, got '${raw}'`;
  if (n > max) return `limit must be at most ${max}, got ${n}`;
  return n;
}

/**
 * `GET /crm/v3/objects/{type}`: records in id order, `after` = the next id (opaque to clients),
 * `archived=true` lists only archived records, `associations=` adds associated ids.
 */
export function listObjects(
  store: HubspotStore,
  type: ObjectType,
  query: URLSearchParams,
  baseUrl: string,
): SimResponse {
  const limit = parseLimit(query.get('limit'), 10, LIST_MAX_LIMIT);
  if (typeof limit === 'string') return validationError(limit);
  const afterRaw = query.get('after');
  const after = afterRaw === null || afterRaw === '' ? 0 : Number(afterRaw);
  if (!Number.isFinite(after))
    return validationError(`Invalid 'after' value '${afterRaw}': use paging.next.after`);
  const archived = query.get('archived') === 'true';
  const properties = requestedProperties(query);
  const associationTypes = associationsParam(query);
  if (typeof associationTypes === 'string') return validationError(associationTypes);

  const table = store.table(type);
  const results: unknown[] = [];
  let nextId: number | null = null;
  for (let pos = table.idPositionAtLeast(after); pos < table.size; pos++) {
    const slot = table.slotAtIdPosition(pos);
    if (table.isArchived(slot) !== archived || table.isMerged(slot)) continue;
    if (results.length === limit) {
      nextId = table.id(slot);
      break;
    }
    const object = publicObject(store, type, slot, properties);
    if (associationTypes.length === 0) results.push(object);
    else results.push({ ...object, associations: associationsOf(store, type, slot, associationTypes) });
  }
  if (nextId === null) return { status: 200, json: { results } };
  const link = new URLSearchParams(query);
  link.set('after', String(nextId));
  return {
    status: 200,
    json: {
      results,
      paging: { next: { after: String(nextId), link: `${baseUrl}/crm/v3/objects/${type}?${link}` } },
    },
  };
}

function associationsParam(query: URLSearchParams): ObjectType[] | string {
  const out: ObjectType[] = [];
  for (const raw of query.getAll('associations').flatMap((v) => v.split(','))) {
    if (raw.trim() === '') continue;
    const type = parseObjectType(raw.trim());
    if (type === null) return `Unable to infer object type from: ${raw}`;
    out.push(type);
  }
  return out;
}

function associationsOf(
  store: HubspotStore,
  from: ObjectType,
  slot: number,
  types: readonly ObjectType[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const singular = (t: ObjectType) => (t === 'companies' ? 'company' : t.replace(/s$/, ''));
  for (const to of types) {
    const ids = associatedIds(store, from, to, slot);
    if (ids.length === 0) continue;
    out[to] = {
      results: ids.map((id) => ({ id: String(id), type: `${singular(from)}_to_${singular(to)}` })),
    };
  }
  return out;
}
