import { z } from 'zod';

/** Pipedrive response shapes, as far as Tide reads them. Records stay open (`loose`): fields vary. */
export const PipedriveContactSchema = z
  .object({
    value: z.string().nullable().optional(),
    primary: z.boolean().optional(),
    label: z.string().nullish(),
  })
  .loose();

export const PipedriveV2RecordSchema = z
  .object({
    id: z.number().int(),
    update_time: z.string().nullable().optional(),
    add_time: z.string().nullable().optional(),
    is_deleted: z.boolean().optional(),
    custom_fields: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .loose();
export type PipedriveV2Record = z.output<typeof PipedriveV2RecordSchema>;

export const PipedriveV2PageSchema = z.object({
  success: z.literal(true),
  data: z.array(PipedriveV2RecordSchema).nullable(),
  additional_data: z.object({ next_cursor: z.string().nullable().optional() }).loose().nullable().optional(),
});
export type PipedriveV2Page = z.output<typeof PipedriveV2PageSchema>;

/** v1 offset paging; documented under `additional_data.pagination`, some endpoints send it flat. */
const V1PaginationSchema = z
  .object({
    start: z.number().optional(),
    limit: z.number().optional(),
    more_items_in_collection: z.boolean().optional(),
    next_start: z.number().optional(),
  })
  .loose();
const V1AdditionalDataSchema = V1PaginationSchema.extend({ pagination: V1PaginationSchema.optional() })
  .nullable()
  .optional();

export function v1More(additional: z.output<typeof V1AdditionalDataSchema>): {
  more: boolean;
  nextStart: number | undefined;
} {
  const p = additional?.pagination ?? additional ?? {};
  return { more: p.more_items_in_collection === true, nextStart: p.next_start };
}

export const PipedriveFieldSchema = z
  .object({
    id: z.number().nullable().optional(),
    key: z.string(),
    name: z.string(),
    field_type: z.string(),
    edit_flag: z.boolean().optional(),
    add_time: z.string().nullable().optional(),
    update_time: z.string().nullable().optional(),
    options: z
      .array(z.object({ id: z.union([z.number(), z.string()]), label: z.string() }).loose())
      .nullable()
      .optional(),
  })
  .loose();
export type PipedriveField = z.output<typeof PipedriveFieldSchema>;

export const PipedriveFieldsPageSchema = z.object({
  success: z.literal(true),
  data: z.array(PipedriveFieldSchema).nullable(),
  additional_data: V1AdditionalDataSchema,
});

export const PipedriveLeadSchema = z
  .object({ id: z.string().min(1), update_time: z.string(), add_time: z.string().optional() })
  .loose();
export type PipedriveLead = z.output<typeof PipedriveLeadSchema>;

export const PipedriveLeadsPageSchema = z.object({
  success: z.literal(true),
  data: z.array(PipedriveLeadSchema).nullable(),
  additional_data: V1AdditionalDataSchema,
});

export const PipedriveUserSchema = z
  .object({
    id: z.number().int(),
    created: z.string().nullable().optional(),
    modified: z.string().nullable().optional(),
    is_deleted: z.boolean().optional(),
  })
  .loose();
export type PipedriveUser = z.output<typeof PipedriveUserSchema>;

export const PipedriveUsersSchema = z.object({
  success: z.literal(true),
  data: z.array(PipedriveUserSchema),
});

/** `{success:false, error, error_info, data:null, additional_data:null}`. */
export const PipedriveErrorSchema = z
  .object({
    success: z.boolean().optional(),
    error: z.string().optional(),
    error_info: z.string().optional(),
    errorCode: z.union([z.number(), z.string()]).optional(),
    code: z.string().optional(),
  })
  .loose();
