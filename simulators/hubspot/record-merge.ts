import { z } from 'zod';
import type { SimResponse } from '../kit/sim-types.js';
import { associatedIds, associationTypes, setAssociations } from './association-graph.js';
import { validationError } from './hubspot-errors.js';
import { createdName, lastModifiedName, OBJECT_TYPES, type ObjectType } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';
import type { PropertyValues } from './object-table.js';
import { publicObject } from './public-object.js';
import { objectNotFound } from './read-endpoints.js';
import { findRecord } from './record-writes.js';

/** Object types `POST /crm/v3/objects/{type}/merge` serves. */
export const MERGEABLE: readonly ObjectType[] = ['contacts', 'companies', 'deals'];

const MergeBody = z.object({
  primaryObjectId: z.union([z.string(), z.number()]).transform(String),
  objectIdToMerge: z.union([z.string(), z.number()]).transform(String),
});

/** Properties HubSpot computes for the merged record itself. */
const COMPUTED = new Set([
  'hs_object_id',
  'hs_lastmodifieddate',
  'hs_merged_object_ids',
  'hs_additional_emails',
]);

const list = (value: string | null | undefined): string[] =>
  (value ?? '')
    .split(';')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/**
 * Merges two records the way HubSpot does since its merge change (developer changelog "Updated merge
 * functionality for contacts and companies", simulators/hubspot/README.md): a **new** record with a
 * new id replaces both. Its values are the primary's, with the secondary's where the primary has none;
 * `hs_merged_object_ids` lists both old ids (and the ids they had replaced); a contact keeps the
 * secondary's email in `hs_additional_emails`; associations of both move to it; it is created as
 * early as the older of the two (INFERENCE). The old ids stay readable as aliases of the new record
 * and disappear from every list, search and archive. Returns the new record's slot.
 */
export function mergeRecords(
  store: HubspotStore,
  type: ObjectType,
  primary: number,
  secondary: number,
  ms: number,
): number {
  const table = store.table(type);
  const first = store.properties(type, primary);
  const second = store.properties(type, secondary);
  const skip = new Set([...COMPUTED, createdName(type), lastModifiedName(type)]);
  const values: PropertyValues = {};
  for (const source of [second, first]) {
    for (const [name, value] of Object.entries(source))
      if (!skip.has(name) && value !== null && value !== '') values[name] = value;
  }
  const ids = [table.id(primary), table.id(secondary)].map(String);
  values['hs_merged_object_ids'] = [
    ...new Set([...list(first['hs_merged_object_ids']), ...list(second['hs_merged_object_ids']), ...ids]),
  ].join(';');
  if (type === 'contacts') {
    const email = values['email'] ?? null;
    const others = [
      ...list(first['hs_additional_emails']),
      ...list(second['hs_additional_emails']),
      ...[first['email'], second['email']].filter((e): e is string => typeof e === 'string' && e !== ''),
    ].filter((e) => e.toLowerCase() !== email?.toLowerCase());
    if (others.length > 0) values['hs_additional_emails'] = [...new Set(others)].join(';');
  }
  const links = OBJECT_TYPES.filter((to) => associationTypes(type, to) !== undefined).map((to) => ({
    to,
    ids: [
      ...new Set([...associatedIds(store, type, to, primary), ...associatedIds(store, type, to, secondary)]),
    ],
  }));
  const created = Math.min(table.createdMs(primary), table.createdMs(secondary));
  const slot = store.create(type, values, ms);
  table.replace(slot, {
    id: table.id(slot),
    createdMs: created,
    modifiedMs: ms,
    archivedMs: Number.NaN,
    base: -1,
    kind: 0,
  });
  store.markMerged(type, primary, slot);
  store.markMerged(type, secondary, slot);
  for (const { to, ids: toIds } of links)
    if (toIds.length > 0) setAssociations(store, type, to, table.id(slot), toIds);
  return slot;
}

/** `POST /crm/v3/objects/{type}/merge` `{primaryObjectId, objectIdToMerge}` → the new record. */
export function mergeEndpoint(store: HubspotStore, type: ObjectType, rawBody: string): SimResponse {
  if (!MERGEABLE.includes(type))
    return validationError(`Merging ${type} is not supported by the simulator (${MERGEABLE.join(', ')}).`);
  let body: z.output<typeof MergeBody>;
  try {
    body = MergeBody.parse(JSON.parse(rawBody === '' ? '{}' : rawBody));
  } catch (error) {
    return validationError(`Invalid input JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const primary = findRecord(store, type, body.primaryObjectId, undefined, false);
  if (primary === undefined) return objectNotFound(body.primaryObjectId);
  const secondary = findRecord(store, type, body.objectIdToMerge, undefined, false);
  if (secondary === undefined) return objectNotFound(body.objectIdToMerge);
  if (primary === secondary)
    return validationError(
      `Cannot merge ${body.objectIdToMerge} into ${body.primaryObjectId}: they are the same record.`,
    );
  const slot = mergeRecords(store, type, primary, secondary, store.clock.now());
  return { status: 200, json: publicObject(store, type, slot, null) };
}
