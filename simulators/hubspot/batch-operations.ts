import { z } from 'zod';
import type { SimResponse } from '../kit/sim-types.js';
import { validationError } from './hubspot-errors.js';
import { type ObjectType, singularUpper } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';
import { problemsMessage, validateWrite } from './property-validation.js';
import { publicObject } from './public-object.js';
import { archiveRecord, createRecord, findRecord, writeResultProperties } from './record-writes.js';

export const BATCH_MAX_INPUTS = 100;

const Id = z.union([z.string(), z.number()]).transform(String);
const Props = z.record(z.string(), z.unknown()).default({});
const InputsOf = <T extends z.ZodType>(input: T) => z.object({ inputs: z.array(input) }).loose();

const ReadBody = InputsOf(z.object({ id: Id })).extend({
  properties: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});
const UpdateBody = InputsOf(z.object({ id: Id, idProperty: z.string().optional(), properties: Props }));
const UpsertBody = InputsOf(z.object({ id: Id, idProperty: z.string(), properties: Props }));
const CreateBody = InputsOf(
  z.object({
    properties: Props,
    associations: z
      .array(z.object({ to: z.object({ id: Id }), types: z.array(z.unknown()).optional() }))
      .optional(),
    objectWriteTraceId: z.string().optional(),
  }),
);
const ArchiveBody = InputsOf(z.object({ id: Id }));

type BatchError = Record<string, unknown>;

export type BatchAction = 'read' | 'update' | 'upsert' | 'create' | 'archive';

/**
 * `POST /crm/v3/objects/{type}/batch/{action}`: at most 100 inputs (400 beyond). Records that fail
 * (unknown id, invalid property) do not fail the batch: the rest are applied and the answer is 207
 * with `errors[].context.ids` naming the failed inputs.
 */
export function batchOperation(
  store: HubspotStore,
  type: ObjectType,
  action: BatchAction,
  rawBody: string,
  query: URLSearchParams,
): SimResponse {
  let json: unknown;
  try {
    json = JSON.parse(rawBody === '' ? '{}' : rawBody);
  } catch (error) {
    return validationError(`Invalid input JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const count = (json as { inputs?: unknown }).inputs;
  if (Array.isArray(count) && count.length > BATCH_MAX_INPUTS)
    return validationError(
      `Batch input of ${count.length} records is too large: batch endpoints accept at most ${BATCH_MAX_INPUTS} inputs.`,
    );
  const startedAt = new Date(store.clock.now()).toISOString();
  const schema = {
    read: ReadBody,
    update: UpdateBody,
    upsert: UpsertBody,
    create: CreateBody,
    archive: ArchiveBody,
  }[action];
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    return validationError(
      `Invalid input JSON: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const run = { read, update, upsert, create, archive }[action] as (
    store: HubspotStore,
    type: ObjectType,
    body: never,
    query: URLSearchParams,
  ) => Outcome | SimResponse;
  const outcome = run(store, type, parsed.data as never, query);
  if ('status' in outcome) return outcome;
  const body = {
    status: 'COMPLETE',
    results: outcome.results,
    ...(outcome.errors.length > 0 ? { numErrors: outcome.errors.length, errors: outcome.errors } : {}),
    startedAt,
    completedAt: new Date(store.clock.now()).toISOString(),
  };
  if (action === 'archive') return { status: 204 };
  return { status: outcome.errors.length > 0 ? 207 : action === 'create' ? 201 : 200, json: body };
}

interface Outcome {
  readonly results: unknown[];
  readonly errors: BatchError[];
}

function notFound(type: ObjectType, ids: readonly string[]): BatchError {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${singularUpper(type)} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids: [...ids] },
  };
}

function invalid(message: string, context: Record<string, string[]>): BatchError {
  return { status: 'error', category: 'VALIDATION_ERROR', message, context };
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(ids.filter((id) => seen.size === seen.add(id).size))];
}

function read(
  store: HubspotStore,
  type: ObjectType,
  body: z.output<typeof ReadBody>,
  query: URLSearchParams,
): Outcome {
  const archived = query.get('archived') === 'true';
  const results: unknown[] = [];
  const missing: string[] = [];
  const seen = new Set<number>();
  for (const { id } of body.inputs) {
    const slot = findRecord(store, type, id, body.idProperty, archived);
    if (slot === undefined) missing.push(id);
    else if (!seen.has(slot)) {
      seen.add(slot);
      results.push(publicObject(store, type, slot, body.properties ?? null));
    }
  }
  return { results, errors: missing.length > 0 ? [notFound(type, missing)] : [] };
}

function update(
  store: HubspotStore,
  type: ObjectType,
  body: z.output<typeof UpdateBody>,
): Outcome | SimResponse {
  const dup = duplicates(body.inputs.map((i) => i.id));
  if (dup.length > 0)
    return validationError(`Duplicate IDs found in batch input: [${dup.join(', ')}]. IDs must be unique`);
  const results: unknown[] = [];
  const errors: BatchError[] = [];
  const missing: string[] = [];
  for (const input of body.inputs) {
    const slot = findRecord(store, type, input.id, input.idProperty, false);
    if (slot === undefined) {
      missing.push(input.id);
      continue;
    }
    const checked = validateWrite(store.catalog, type, input.properties);
    if ('problems' in checked) {
      errors.push(invalid(problemsMessage(checked.problems), { ids: [input.id] }));
      continue;
    }
    store.write(type, slot, checked.values, store.clock.now());
    results.push(publicObject(store, type, slot, writeResultProperties(store, type, checked.values)));
  }
  if (missing.length > 0) errors.unshift(notFound(type, missing));
  return { results, errors };
}

function upsert(
  store: HubspotStore,
  type: ObjectType,
  body: z.output<typeof UpsertBody>,
): Outcome | SimResponse {
  const dup = duplicates(body.inputs.map((i) => i.id.toLowerCase()));
  if (dup.length > 0)
    return validationError(`Duplicate IDs found in batch input: [${dup.join(', ')}]. IDs must be unique`);
  const results: unknown[] = [];
  const errors: BatchError[] = [];
  for (const input of body.inputs) {
    const def = store.catalog.get(type, input.idProperty);
    if (def === undefined || (input.idProperty !== 'email' && input.idProperty !== 'hs_object_id'))
      return validationError(
        `${input.idProperty} is not a unique property of ${type}: upsert by email or hs_object_id`,
      );
    if (input.idProperty === 'email' && type !== 'contacts')
      return validationError(`email is not a unique property of ${type}`);
    const checked = validateWrite(store.catalog, type, input.properties);
    if ('problems' in checked) {
      errors.push(invalid(problemsMessage(checked.problems), { ids: [input.id] }));
      continue;
    }
    const existing = findRecord(store, type, input.id, input.idProperty, false);
    const now = store.clock.now();
    if (existing !== undefined) {
      store.write(type, existing, checked.values, now);
      results.push({
        ...publicObject(store, type, existing, writeResultProperties(store, type, checked.values)),
        new: false,
      });
      continue;
    }
    if (input.idProperty === 'hs_object_id') {
      errors.push(notFound(type, [input.id]));
      continue;
    }
    const values = { ...checked.values, email: input.id.trim() };
    const slot = createRecord(store, type, values, now);
    results.push({
      ...publicObject(store, type, slot, writeResultProperties(store, type, values)),
      new: true,
    });
  }
  return { results, errors };
}

function create(store: HubspotStore, type: ObjectType, body: z.output<typeof CreateBody>): Outcome {
  const results: unknown[] = [];
  const errors: BatchError[] = [];
  for (const input of body.inputs) {
    const checked = validateWrite(store.catalog, type, input.properties);
    if ('problems' in checked) {
      const context: Record<string, string[]> = input.objectWriteTraceId
        ? { objectWriteTraceId: [input.objectWriteTraceId] }
        : {};
      errors.push(invalid(problemsMessage(checked.problems), context));
      continue;
    }
    const slot = createRecord(
      store,
      type,
      checked.values,
      store.clock.now(),
      input.associations?.map((a) => a.to.id),
    );
    results.push(publicObject(store, type, slot, writeResultProperties(store, type, checked.values)));
  }
  return { results, errors };
}

function archive(store: HubspotStore, type: ObjectType, body: z.output<typeof ArchiveBody>): Outcome {
  // HubSpot answers 204 even for ids that do not exist.
  for (const { id } of body.inputs) {
    const slot = findRecord(store, type, id, undefined, false);
    if (slot !== undefined) archiveRecord(store, type, slot, store.clock.now());
  }
  return { results: [], errors: [] };
}
