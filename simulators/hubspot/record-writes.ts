import { setAssociations } from './association-graph.js';
import { OBJECT_TYPES, type ObjectType } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';
import type { WriteValues } from './property-validation.js';

/**
 * The record an API call names: by id (hs_object_id) or, for contacts, by email. `archived` selects
 * which side it must be on (archived records are invisible to ordinary reads and writes). An id a
 * merge replaced names the record that replaced it (HubSpot: "fetching any records using the original
 * IDs will return the new merged record with the new ID"); it is never archived.
 */
export function findRecord(
  store: HubspotStore,
  type: ObjectType,
  id: string,
  idProperty: string | undefined,
  archived: boolean,
): number | undefined {
  if (idProperty === 'email' && type === 'contacts') return archived ? undefined : store.contactByEmail(id);
  if (idProperty !== undefined && idProperty !== 'hs_object_id') return undefined;
  if (!/^\d+$/.test(id.trim())) return undefined;
  const table = store.table(type);
  const found = table.slotOf(Number(id));
  if (found === undefined) return undefined;
  const slot = table.survivor(found);
  return table.isArchived(slot) === archived ? slot : undefined;
}

/** Creates a record, linking it to the given ids (whatever type each id belongs to). */
export function createRecord(
  store: HubspotStore,
  type: ObjectType,
  values: WriteValues,
  ms: number,
  associateWith: readonly string[] = [],
): number {
  const slot = store.create(type, values, ms);
  const fromId = store.table(type).id(slot);
  const byType = new Map<ObjectType, number[]>();
  for (const raw of associateWith) {
    const id = Number(raw);
    const to = OBJECT_TYPES.find((t) => store.table(t).slotOf(id) !== undefined);
    if (to !== undefined) byType.set(to, [...(byType.get(to) ?? []), id]);
  }
  for (const [to, ids] of byType) setAssociations(store, type, to, fromId, ids);
  return slot;
}

export function archiveRecord(store: HubspotStore, type: ObjectType, slot: number, ms: number): void {
  store.archive(type, slot, ms);
}

/** What a write answers with: the object's defaults plus the properties just written. */
export function writeResultProperties(store: HubspotStore, type: ObjectType, values: WriteValues): string[] {
  return [...new Set([...store.catalog.defaults(type), ...Object.keys(values)])];
}
