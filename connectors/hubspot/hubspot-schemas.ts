import { z } from 'zod';

/** One HubSpot CRM v3 record, as far as Tide reads it. Every property value is a string. */
export interface HubspotObject {
  readonly id: string;
  readonly properties: Record<string, string | null>;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly archived?: boolean;
  readonly archivedAt?: string;
}

/**
 * The same check a zod object of those fields makes, written out: it runs for every record of every
 * page (a million records on a first load), where zod's generic record and object parsing was the
 * largest share of the per-record CPU after JSON.parse. The record is kept as parsed, not copied.
 */
export function isHubspotObject(value: unknown): value is HubspotObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const o = value as Record<string, unknown>;
  if (typeof o.id !== 'string') return false;
  const properties = o.properties;
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) return false;
  for (const key in properties) {
    const v = (properties as Record<string, unknown>)[key];
    if (v !== null && typeof v !== 'string') return false;
  }
  for (const key of ['createdAt', 'updatedAt', 'archivedAt'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'string') return false;
  }
  return o.archived === undefined || typeof o.archived === 'boolean';
}

export const HubspotObjectSchema = z.custom<HubspotObject>(isHubspotObject, {
  message:
    'not a HubSpot record ({id: string, properties: {name: string | null}, createdAt?, updatedAt?, archived?, archivedAt?})',
});

const PagingSchema = z
  .object({ next: z.object({ after: z.string(), link: z.string().optional() }).optional() })
  .optional();

export const HubspotListPageSchema = z.object({
  results: z.array(HubspotObjectSchema),
  paging: PagingSchema,
});
export const HubspotSearchPageSchema = z.object({
  total: z.number().optional(),
  results: z.array(HubspotObjectSchema),
  paging: PagingSchema,
});
export type HubspotPage = z.output<typeof HubspotListPageSchema>;

export const HubspotBatchReadSchema = z.object({
  status: z.string().optional(),
  results: z.array(HubspotObjectSchema),
});

export const HubspotPropertySchema = z.object({
  name: z.string(),
  label: z.string().optional(),
  type: z.string(),
  fieldType: z.string().optional(),
  options: z.array(z.object({ label: z.string().optional(), value: z.string() })).optional(),
  modificationMetadata: z.object({ readOnlyValue: z.boolean().optional() }).partial().optional(),
});
export type HubspotProperty = z.output<typeof HubspotPropertySchema>;
export const HubspotPropertiesSchema = z.object({ results: z.array(HubspotPropertySchema) });

export const HubspotOwnerSchema = z.object({
  id: z.string(),
  email: z.string().nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  userId: z.number().nullable().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string(),
  archived: z.boolean().optional(),
});
export const HubspotOwnersPageSchema = z.object({
  results: z.array(HubspotOwnerSchema),
  paging: PagingSchema,
});

export const HubspotAssociationsSchema = z.object({
  results: z.array(
    z.object({
      from: z.object({ id: z.string() }),
      to: z.array(z.object({ toObjectId: z.union([z.number(), z.string()]) })),
    }),
  ),
});

/** HubSpot's error body (also used for 429s, where `policyName` says which limit). */
export const HubspotErrorSchema = z
  .object({
    status: z.string().optional(),
    message: z.string().optional(),
    category: z.string().optional(),
    correlationId: z.string().optional(),
    policyName: z.string().optional(),
    errorType: z.string().optional(),
  })
  .loose();

/** `POST /crm/v3/exports/export/async` → 202 TaskLocator (`id` is a string in the spec; numbers accepted). */
export const HubspotExportTaskSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String) });

/**
 * `GET /crm/v3/exports/export/async/tasks/{taskId}/status` (ActionResponseWithSingleResultURI). The
 * spec's states are PENDING, PROCESSING, COMPLETE and CANCELED; any other string is kept so a state
 * HubSpot adds later reads as "not done yet" rather than as a malformed answer.
 */
export const HubspotExportStatusSchema = z.object({
  status: z.string(),
  result: z.string().optional(),
  requestedAt: z.string().optional(),
  startedAt: z.string().optional(),
  completedAt: z.string().optional(),
  numErrors: z.number().optional(),
  errors: z
    .array(z.object({ message: z.string().optional(), category: z.string().optional() }).loose())
    .optional(),
});
export type HubspotExportStatus = z.output<typeof HubspotExportStatusSchema>;
