import { z } from 'zod';

/** Response shapes of the Zoho CRM v8 endpoints Tide calls (zoho/crm-oas v8.0; PROTOCOL-FACTS-ZOHO… §1). */

const Info = z.looseObject({
  more_records: z.boolean().default(false),
  next_page_token: z.string().nullable().optional(),
  count: z.number().optional(),
  page: z.number().optional(),
});

/** `GET /crm/v8/{module}`: records keep Zoho's JSON (lookups `{name, id}`, datetimes with offset). */
export const RecordsPageSchema = z.object({
  data: z.array(z.looseObject({ id: z.string().min(1) })),
  info: Info.optional(),
});
export type RecordsPage = z.output<typeof RecordsPageSchema>;
export type ZohoRawRecord = RecordsPage['data'][number];

export const DeletedPageSchema = z.object({
  data: z.array(
    z.looseObject({
      id: z.string().min(1),
      type: z.string().optional(),
      deleted_time: z.string().nullable(),
    }),
  ),
  info: Info.optional(),
});

export const UsersPageSchema = z.object({
  users: z.array(z.looseObject({ id: z.string().min(1) })),
  info: Info.optional(),
});

export const FieldSchema = z.looseObject({
  api_name: z.string().min(1),
  field_label: z.string().nullable().optional(),
  display_label: z.string().nullable().optional(),
  data_type: z.string(),
  json_type: z.string().nullable().optional(),
  custom_field: z.boolean().optional(),
  read_only: z.boolean().optional(),
  field_read_only: z.boolean().optional(),
  system_mandatory: z.boolean().optional(),
  length: z.number().nullable().optional(),
  decimal_place: z.number().nullable().optional(),
  unique: z
    .union([z.record(z.string(), z.unknown()), z.boolean()])
    .nullable()
    .optional(),
  pick_list_values: z
    .array(z.looseObject({ actual_value: z.string(), display_value: z.string().optional() }))
    .nullable()
    .optional(),
  lookup: z
    .looseObject({ module: z.looseObject({ api_name: z.string() }).optional() })
    .nullable()
    .optional(),
});
export type ZohoField = z.output<typeof FieldSchema>;
export const FieldsSchema = z.object({ fields: z.array(FieldSchema) });

export const BulkCreatedSchema = z.object({
  data: z
    .array(
      z.looseObject({
        status: z.string(),
        details: z.looseObject({ id: z.string(), state: z.string().optional() }),
      }),
    )
    .min(1),
});

export const BulkJobSchema = z.object({
  data: z
    .array(
      z.looseObject({
        id: z.string(),
        state: z.string(),
        result: z
          .looseObject({
            page: z.number().optional(),
            count: z.number(),
            download_url: z.string(),
            more_records: z.boolean(),
            next_page_token: z.string().nullable().optional(),
          })
          .optional(),
      }),
    )
    .min(1),
});
export type BulkJob = z.output<typeof BulkJobSchema>['data'][number];

/** Per-record results of insert / update / upsert, in input order. */
export const WriteResultsSchema = z.object({
  data: z.array(
    z.looseObject({
      code: z.string(),
      status: z.string(),
      message: z.string().optional(),
      action: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});
export type WriteResult = z.output<typeof WriteResultsSchema>['data'][number];

export const CoqlPageSchema = z.object({
  data: z.array(z.looseObject({ id: z.string() })),
  info: Info.optional(),
});
