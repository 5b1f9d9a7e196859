import { companyIdAt } from './company-seed.js';
import { contactCompanyIndex } from './contact-seed.js';
import { seededContactSlot } from './deal-seed.js';
import { ENGAGEMENT_TAG, engagementContactSlot } from './engagement-seed.js';
import { isEngagement, type ObjectType } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';

export interface AssociationType {
  readonly category: 'HUBSPOT_DEFINED';
  readonly typeId: number;
  readonly label: string | null;
}

const DEFINED = (typeId: number, label: string | null = null): AssociationType => ({
  category: 'HUBSPOT_DEFINED',
  typeId,
  label,
});

/** HubSpot's default association type ids for the pairs the simulator serves. */
const PAIR_TYPES: Readonly<Record<string, readonly AssociationType[]>> = {
  'contacts:companies': [DEFINED(1, 'Primary'), DEFINED(279)],
  'deals:contacts': [DEFINED(3)],
  'deals:companies': [DEFINED(5, 'Primary'), DEFINED(341)],
  'calls:contacts': [DEFINED(194)],
  'emails:contacts': [DEFINED(198)],
  'meetings:contacts': [DEFINED(200)],
  'notes:contacts': [DEFINED(202)],
  'tasks:contacts': [DEFINED(204)],
};

export function associationTypes(from: ObjectType, to: ObjectType): readonly AssociationType[] | undefined {
  return PAIR_TYPES[`${from}:${to}`];
}

/**
 * Associated ids of one record: written links win, else the seeded ones (a deal's contact and that
 * contact's company, an engagement's contact, a contact's employer). Links to archived records are
 * dropped, as HubSpot drops them; a link to a record a merge replaced leads to the record that
 * replaced it (HubSpot moves the associations of both records to the merged one).
 */
export function associatedIds(store: HubspotStore, from: ObjectType, to: ObjectType, slot: number): number[] {
  const table = store.table(from);
  const written = store.linkOverlay.get(`${from}:${to}`)?.get(table.id(slot));
  const ids = written ?? (table.base(slot) >= 0 ? seededLinks(store, from, to, slot) : []);
  const target = store.table(to);
  const out: number[] = [];
  for (const id of ids) {
    const found = target.slotOf(id);
    if (found === undefined) continue;
    const s = target.survivor(found);
    if (target.isArchived(s)) continue;
    const survivorId = target.id(s);
    if (!out.includes(survivorId)) out.push(survivorId);
  }
  return out;
}

/** Replaces a record's links of one pair (mutations and creates with associations). */
export function setAssociations(
  store: HubspotStore,
  from: ObjectType,
  to: ObjectType,
  fromId: number,
  toIds: readonly number[],
): void {
  const key = `${from}:${to}`;
  let map = store.linkOverlay.get(key);
  if (!map) {
    map = new Map();
    store.linkOverlay.set(key, map);
  }
  map.set(fromId, [...toIds]);
}

function seededLinks(store: HubspotStore, from: ObjectType, to: ObjectType, slot: number): number[] {
  const ctx = store.context;
  const contacts = store.table('contacts');
  const table = store.table(from);
  const companyOfContact = (contactSlot: number): number[] => {
    if (contacts.base(contactSlot) < 0)
      return store.linkOverlay.get('contacts:companies')?.get(contacts.id(contactSlot)) ?? [];
    const index = contactCompanyIndex(ctx, contacts, contactSlot);
    return index === null ? [] : [companyIdAt(index)];
  };
  if (from === 'contacts' && to === 'companies') return companyOfContact(slot);
  if (from === 'deals') {
    const contactSlot = seededContactSlot(ctx, 51, table.base(slot), contacts);
    if (to === 'contacts') return [contacts.id(contactSlot)];
    if (to === 'companies') return companyOfContact(contactSlot);
  }
  if (isEngagement(from) && to === 'contacts') {
    return [contacts.id(engagementContactSlot(ctx, ENGAGEMENT_TAG[from] + 1, table.base(slot), contacts))];
  }
  return [];
}
