import { z } from 'zod';
import type { SimResponse } from '../kit/sim-types.js';
import { checkCustomFields } from './custom-field-values.js';
import { type Entity, hasCustomFields } from './entity-kinds.js';
import type { WrittenValues } from './entity-table.js';
import { badRequest, notFound } from './pipedrive-errors.js';
import type { PipedriveStore } from './pipedrive-store.js';

const Contact = z.object({
  value: z.string(),
  primary: z.boolean().optional(),
  label: z.string().optional(),
});
const id = z.number().int().positive().nullable();

/** Writable standard fields per entity (v2 request bodies); unknown keys are rejected. */
const BODIES: Readonly<Record<Entity, z.ZodObject>> = {
  persons: z
    .object({
      name: z.string().min(1),
      owner_id: id,
      org_id: id,
      emails: z.array(Contact),
      phones: z.array(Contact),
      visible_to: z.number().int(),
      label_ids: z.array(z.number().int()),
      job_title: z.string().nullable(),
      birthday: z.string().nullable(),
      notes: z.string().nullable(),
      custom_fields: z.unknown(),
    })
    .partial()
    .strict(),
  organizations: z
    .object({
      name: z.string().min(1),
      owner_id: id,
      website: z.string().nullable(),
      address: z.object({ value: z.string() }).loose().nullable(),
      employee_count: z.number().int().nullable(),
      annual_revenue: z.number().nullable(),
      visible_to: z.number().int(),
      label_ids: z.array(z.number().int()),
      custom_fields: z.unknown(),
    })
    .partial()
    .strict(),
  deals: z
    .object({
      title: z.string().min(1),
      owner_id: id,
      person_id: id,
      org_id: id,
      stage_id: z.number().int().positive(),
      value: z.number(),
      currency: z.string().length(3),
      status: z.enum(['open', 'won', 'lost']),
      expected_close_date: z.string().nullable(),
      custom_fields: z.unknown(),
    })
    .partial()
    .strict(),
  activities: z
    .object({
      subject: z.string().min(1),
      type: z.string(),
      owner_id: id,
      person_id: id,
      org_id: id,
      deal_id: id,
      due_date: z.string().nullable(),
      due_time: z.string().nullable(),
      done: z.boolean(),
      note: z.string().nullable(),
    })
    .partial()
    .strict(),
};

const NAMES: Readonly<Record<Entity, string>> = {
  persons: 'Person',
  organizations: 'Organization',
  deals: 'Deal',
  activities: 'Activity',
};

function parseBody(store: PipedriveStore, entity: Entity, raw: string): WrittenValues | string {
  let json: unknown;
  try {
    json = raw === '' ? {} : JSON.parse(raw);
  } catch {
    return 'body: Must be valid JSON';
  }
  const parsed = BODIES[entity].safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `${issue.path.join('.') || 'body'}: ${issue.message}`;
  }
  const { custom_fields: custom, ...rest } = parsed.data as Record<string, unknown>;
  const values: WrittenValues = { ...rest };
  if (custom !== undefined) {
    if (!hasCustomFields(entity)) return 'custom_fields: Not supported for activities';
    const checked = checkCustomFields(store.catalog.custom(entity), custom);
    if ('problem' in checked) return checked.problem;
    values.custom_fields = checked.values;
  }
  return values;
}

/** `GET|PATCH|DELETE /api/v2/{entity}/{id}`: one record per request (Pipedrive has no batch update). */
export function oneEntity(
  store: PipedriveStore,
  entity: Entity,
  method: string,
  id: number,
  rawBody: string,
): SimResponse {
  const table = store.table(entity);
  const slot = table.slotOf(id);
  const now = store.now();
  if (slot === undefined || table.isPurged(slot, now)) return notFound(NAMES[entity]);
  if (method === 'GET') return ok(store.record(entity, slot));
  if (table.isDeleted(slot)) return notFound(NAMES[entity]);
  if (method === 'DELETE') {
    store.remove(entity, slot, now);
    return ok({ id });
  }
  const values = parseBody(store, entity, rawBody);
  if (typeof values === 'string') return badRequest(values);
  store.update(entity, slot, values, now);
  return ok(store.record(entity, slot));
}

/** `POST /api/v2/{entity}`. */
export function createEntity(store: PipedriveStore, entity: Entity, rawBody: string): SimResponse {
  const values = parseBody(store, entity, rawBody);
  if (typeof values === 'string') return badRequest(values);
  const title = entity === 'deals' ? 'title' : entity === 'activities' ? 'subject' : 'name';
  if (typeof values[title] !== 'string') return badRequest(`${title}: Required`);
  const defaults: WrittenValues =
    entity === 'persons'
      ? { emails: [], phones: [], org_id: null, job_title: null }
      : entity === 'deals'
        ? {
            status: 'open',
            value: 0,
            currency: 'USD',
            stage_id: 1,
            pipeline_id: 1,
            person_id: null,
            org_id: null,
          }
        : {};
  const slot = store.create(entity, { owner_id: store.users[0]!.id, ...defaults, ...values }, store.now());
  return ok(store.record(entity, slot));
}

function ok(data: unknown): SimResponse {
  return { status: 200, json: { success: true, data } };
}
