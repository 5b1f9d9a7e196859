import { z } from 'zod';
import type { SimResponse } from '../kit/sim-types.js';
import type { Entity } from './entity-kinds.js';
import type { WrittenValues } from './entity-table.js';
import { badRequest, notFound } from './pipedrive-errors.js';
import type { PipedriveStore } from './pipedrive-store.js';

/** Entities `PUT /v1/{entity}/{id}/merge` serves. */
export type MergeableEntity = 'persons' | 'organizations';

const MergeBody = z.object({ merge_with_id: z.coerce.number().int().positive() });

const NAMES: Readonly<Record<MergeableEntity, string>> = { persons: 'Person', organizations: 'Organization' };

/** Records of other entities that point at a merged record, and the field they point with. */
const REFERENCES: Readonly<Record<MergeableEntity, readonly (readonly [Entity, string])[]>> = {
  persons: [
    ['deals', 'person_id'],
    ['activities', 'person_id'],
  ],
  organizations: [
    ['persons', 'org_id'],
    ['deals', 'org_id'],
  ],
};

interface ContactEntry {
  readonly value: string;
  readonly primary?: boolean;
  readonly label?: string;
}

const entries = (v: unknown): ContactEntry[] =>
  Array.isArray(v)
    ? v.filter((e): e is ContactEntry => typeof e === 'object' && e !== null && typeof e.value === 'string')
    : [];

/** The survivor's list, then the merged record's entries it does not have yet (never a second primary). */
function unionContacts(survivor: unknown, merged: unknown): ContactEntry[] {
  const out = entries(survivor);
  const seen = new Set(out.map((e) => e.value.trim().toLowerCase()));
  for (const e of entries(merged)) {
    const key = e.value.trim().toLowerCase();
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push({ ...e, primary: out.length === 0 });
  }
  return out;
}

/**
 * Merges record `id` into `merge_with_id` as Pipedrive documents it ("Merging two persons", the
 * pipedrive.readme.io tutorial): the record of `merge_with_id` survives and keeps its values where
 * both have one; fields only the other one filled are added; related data moves to it; the record
 * `id` is deleted (a soft delete, listed with is_deleted) and nothing on either record names the
 * other afterwards — only this response's `merge_what_id` does. Email and phone lists are combined
 * (INFERENCE: a merged person keeps every address and number of both).
 */
export function mergeEntity(
  store: PipedriveStore,
  entity: MergeableEntity,
  id: number,
  rawBody: string,
): SimResponse {
  let body: z.output<typeof MergeBody>;
  try {
    body = MergeBody.parse(rawBody === '' ? {} : JSON.parse(rawBody));
  } catch {
    return badRequest('merge_with_id: Required, a positive integer');
  }
  const table = store.table(entity);
  const now = store.now();
  const merged = table.slotOf(id);
  const survivor = table.slotOf(body.merge_with_id);
  const live = (slot: number | undefined): slot is number => slot !== undefined && !table.isDeleted(slot);
  if (!live(merged) || !live(survivor)) return notFound(NAMES[entity]);
  if (merged === survivor) return badRequest('merge_with_id: Cannot merge a record with itself');

  const kept = store.record(entity, survivor);
  const gone = store.record(entity, merged);
  const values: WrittenValues = {};
  for (const [field, value] of Object.entries(gone)) {
    if (['id', 'add_time', 'update_time', 'is_deleted', 'custom_fields'].includes(field)) continue;
    const current = kept[field];
    if ((current === null || current === undefined || current === '') && value !== null)
      values[field] = value;
  }
  if (entity === 'persons') {
    values['emails'] = unionContacts(kept['emails'], gone['emails']);
    values['phones'] = unionContacts(kept['phones'], gone['phones']);
  }
  store.update(entity, survivor, values, now);
  store.remove(entity, merged, now);
  for (const [other, field] of REFERENCES[entity]) {
    const t = store.table(other);
    for (let slot = 0; slot < t.size; slot++) {
      if (t.isDeleted(slot) || store.record(other, slot)[field] !== id) continue;
      store.update(other, slot, { [field]: body.merge_with_id }, now);
    }
  }
  return {
    status: 200,
    json: { success: true, data: { ...store.record(entity, survivor), merge_what_id: id } },
  };
}
