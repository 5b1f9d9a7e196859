import { z } from 'zod';
import type { SimResponse } from '../kit/sim-types.js';
import { associatedIds, associationTypes } from './association-graph.js';
import { hubspotError, validationError } from './hubspot-errors.js';
import { type ObjectType, singularUpper } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';
import { parseLimit } from './list-objects.js';
import { ANCHOR_MS } from './seed-timeline.js';

/** `GET /crm/v3/properties/{type}`: every property definition, custom ones included. */
export function listProperties(store: HubspotStore, type: ObjectType): SimResponse {
  const anchor = new Date(ANCHOR_MS).toISOString();
  const results = [...store.catalog.all(type)].map((def) => store.catalog.describe(type, def, anchor));
  return { status: 200, json: { results } };
}

/** `GET /crm/v3/owners?limit&after&archived`: owners in id order, `after` = the next owner's id. */
export function listOwners(store: HubspotStore, query: URLSearchParams, baseUrl: string): SimResponse {
  const limit = parseLimit(query.get('limit'), 100, 500);
  if (typeof limit === 'string') return validationError(limit);
  const after = Number(query.get('after') ?? 0);
  if (!Number.isFinite(after)) return validationError(`Invalid 'after' value: use paging.next.after`);
  const archived = query.get('archived') === 'true';
  const email = query.get('email');
  const rows = store.owners.filter(
    (o) => o.archived === archived && o.id >= after && (email === null || o.email === email.toLowerCase()),
  );
  const page = rows.slice(0, limit);
  const next = rows[limit];
  const results = page.map((o) => ({
    id: String(o.id),
    email: o.email,
    type: 'PERSON',
    firstName: o.firstName,
    lastName: o.lastName,
    userId: o.userId,
    userIdIncludingInactive: o.userId,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    archived: o.archived,
  }));
  if (next === undefined) return { status: 200, json: { results } };
  const link = new URLSearchParams(query);
  link.set('after', String(next.id));
  return {
    status: 200,
    json: {
      results,
      paging: { next: { after: String(next.id), link: `${baseUrl}/crm/v3/owners/?${link}` } },
    },
  };
}

const AssociationReadBody = z.object({
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String) })),
});

/** `POST /crm/v4/associations/{from}/{to}/batch/read`: associated ids per input (≤ 1,000 inputs). */
export function readAssociations(
  store: HubspotStore,
  from: ObjectType,
  to: ObjectType,
  rawBody: string,
): SimResponse {
  const types = associationTypes(from, to);
  if (types === undefined)
    return validationError(
      `The simulator serves no ${from} → ${to} associations (see association-graph.ts).`,
    );
  let parsed: z.output<typeof AssociationReadBody>;
  try {
    parsed = AssociationReadBody.parse(JSON.parse(rawBody === '' ? '{}' : rawBody));
  } catch (error) {
    return validationError(`Invalid input JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (parsed.inputs.length > 1000)
    return validationError(
      `Batch input of ${parsed.inputs.length} records is too large: at most 1000 inputs.`,
    );
  const startedAt = new Date(store.clock.now()).toISOString();
  const table = store.table(from);
  const results: unknown[] = [];
  const missing: string[] = [];
  for (const { id } of parsed.inputs) {
    const slot = /^\d+$/.test(id) ? table.slotOf(Number(id)) : undefined;
    if (slot === undefined || table.isArchived(slot)) {
      missing.push(id);
      continue;
    }
    const ids = associatedIds(store, from, to, slot);
    // HubSpot lists only records that have associations; the rest come back as errors.
    if (ids.length === 0) {
      missing.push(id);
      continue;
    }
    results.push({ from: { id }, to: ids.map((toObjectId) => ({ toObjectId, associationTypes: types })) });
  }
  const errors = missing.map((id) => ({
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
    message: `No ${singularUpper(to).toLowerCase()} is associated with ${singularUpper(from).toLowerCase()} ${id}.`,
    context: { fromObjectId: [id] },
  }));
  return {
    status: errors.length > 0 ? 207 : 200,
    json: {
      status: 'COMPLETE',
      results,
      ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
      startedAt,
      completedAt: new Date(store.clock.now()).toISOString(),
    },
  };
}

export function objectNotFound(id: string): SimResponse {
  return hubspotError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', {
    context: { id: [id] },
  });
}
