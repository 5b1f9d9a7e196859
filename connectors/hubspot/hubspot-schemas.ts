import { z } from 'zod';

/** HubSpot CRM v3 response shapes, as far as Tide reads them. Every property value is a string. */
export const HubspotObjectSchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
  archivedAt: z.string().optional(),
});
export type HubspotObject = z.output<typeof HubspotObjectSchema>;

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
