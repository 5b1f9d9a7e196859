import { z } from 'zod';
import type { SimResponse } from '../kit/sim-types.js';
import { validationError } from './hubspot-errors.js';
import type { ObjectType } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';
import { problemsMessage, validateWrite } from './property-validation.js';
import { publicObject, requestedProperties } from './public-object.js';
import { objectNotFound } from './read-endpoints.js';
import { archiveRecord, createRecord, findRecord, writeResultProperties } from './record-writes.js';

const WriteBody = z.object({
  properties: z.record(z.string(), z.unknown()).default({}),
  associations: z
    .array(z.object({ to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }) }))
    .optional(),
});

function parseWrite(rawBody: string): z.output<typeof WriteBody> | SimResponse {
  try {
    return WriteBody.parse(JSON.parse(rawBody === '' ? '{}' : rawBody));
  } catch (error) {
    return validationError(`Invalid input JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** GET, PATCH and DELETE `/crm/v3/objects/{type}/{id}`, and POST `/crm/v3/objects/{type}`. */
export function singleObject(
  store: HubspotStore,
  type: ObjectType,
  method: string,
  id: string | null,
  query: URLSearchParams,
  rawBody: string,
): SimResponse {
  const now = store.clock.now();
  if (id === null) {
    const body = parseWrite(rawBody);
    if ('status' in body) return body;
    const checked = validateWrite(store.catalog, type, body.properties);
    if ('problems' in checked) return validationError(problemsMessage(checked.problems));
    const slot = createRecord(
      store,
      type,
      checked.values,
      now,
      body.associations?.map((a) => a.to.id),
    );
    return {
      status: 201,
      json: publicObject(store, type, slot, writeResultProperties(store, type, checked.values)),
    };
  }
  const archived = method === 'GET' && query.get('archived') === 'true';
  const slot = findRecord(store, type, id, query.get('idProperty') ?? undefined, archived);
  if (method === 'DELETE') {
    if (slot !== undefined) archiveRecord(store, type, slot, now);
    return { status: 204 };
  }
  if (slot === undefined) return objectNotFound(id);
  if (method === 'GET')
    return { status: 200, json: publicObject(store, type, slot, requestedProperties(query)) };
  const body = parseWrite(rawBody);
  if ('status' in body) return body;
  const checked = validateWrite(store.catalog, type, body.properties);
  if ('problems' in checked) return validationError(problemsMessage(checked.problems));
  store.write(type, slot, checked.values, now);
  return {
    status: 200,
    json: publicObject(store, type, slot, writeResultProperties(store, type, checked.values)),
  };
}
