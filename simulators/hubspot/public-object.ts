import { createdName, lastModifiedName, type ObjectType } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';

export interface PublicObject {
  readonly id: string;
  readonly properties: Record<string, string | null>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly archived: boolean;
  readonly archivedAt?: string;
}

/**
 * A record as HubSpot serializes it (SimplePublicObject): the requested properties that exist
 * (null when empty; unknown names are silently dropped, as HubSpot does) plus id, created and
 * last-modified, which it always includes; the per-object defaults when none are requested.
 */
export function publicObject(
  store: HubspotStore,
  type: ObjectType,
  slot: number,
  requested: readonly string[] | null,
): PublicObject {
  const table = store.table(type);
  const values = store.properties(type, slot);
  const properties: Record<string, string | null> = {};
  for (const name of projection(store, type, requested)) properties[name] = values[name] ?? null;
  const archived = table.isArchived(slot);
  return {
    id: values['hs_object_id']!,
    properties,
    createdAt: values[createdName(type)]!,
    updatedAt: values['hs_lastmodifieddate']!,
    archived,
    ...(archived ? { archivedAt: new Date(table.archivedMs(slot)).toISOString() } : {}),
  };
}

const projections = new WeakMap<readonly string[], { version: number; names: readonly string[] }>();

/**
 * The property names a response carries, computed once per request list (a page of 100 records
 * shares it) and recomputed when the catalog changes.
 */
function projection(
  store: HubspotStore,
  type: ObjectType,
  requested: readonly string[] | null,
): readonly string[] {
  const asked = requested === null || requested.length === 0 ? store.catalog.defaults(type) : requested;
  const cached = projections.get(asked);
  if (cached && cached.version === store.catalog.version) return cached.names;
  const names = new Set<string>();
  for (const name of [...asked, createdName(type), lastModifiedName(type), 'hs_object_id']) {
    if (store.catalog.get(type, name) !== undefined) names.add(name);
  }
  const entry = { version: store.catalog.version, names: [...names] };
  projections.set(asked, entry);
  return entry.names;
}

/** Every property (null included): the ground truth served by `/_sim/truth`. */
export function truthObject(store: HubspotStore, type: ObjectType, slot: number): PublicObject {
  return publicObject(
    store,
    type,
    slot,
    [...store.catalog.all(type)].map((def) => def.name),
  );
}

/** Parses a `properties` query: repeated params and comma-separated lists are both accepted. */
export function requestedProperties(query: URLSearchParams, key = 'properties'): string[] | null {
  const raw = query.getAll(key);
  if (raw.length === 0) return null;
  const names = raw
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return names.length === 0 ? null : names;
}
