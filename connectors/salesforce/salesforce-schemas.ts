import { z } from 'zod';

/** Salesforce response shapes, as far as Tide reads them. */

export const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  instance_url: z.url(),
  token_type: z.string().optional(),
  issued_at: z.string().optional(),
});

export const OAuthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** `[{message, errorCode, fields?}]`: every REST and Bulk API error. */
export const ErrorArraySchema = z.array(
  z.object({ message: z.string().optional(), errorCode: z.string(), fields: z.array(z.string()).optional() }),
);

/**
 * A record is only checked to be an object here: copying its fields through a schema costs more than
 * the rest of the extract, and the record reader checks what matters (Id, SystemModstamp, types).
 */
const RecordObject = z.custom<Readonly<Record<string, unknown>>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'a record object',
);

export const QueryPageSchema = z.object({
  totalSize: z.number().int().nonnegative(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(RecordObject),
});
export type QueryPage = z.output<typeof QueryPageSchema>;

export const DescribeFieldSchema = z.object({
  name: z.string().min(1),
  type: z.string(),
  label: z.string().optional(),
  custom: z.boolean().optional(),
  calculated: z.boolean().optional(),
  calculatedFormula: z.string().nullable().optional(),
  updateable: z.boolean().optional(),
  createable: z.boolean().optional(),
  externalId: z.boolean().optional(),
  compoundFieldName: z.string().nullable().optional(),
  picklistValues: z.array(z.object({ value: z.string(), active: z.boolean().optional() })).optional(),
  referenceTo: z.array(z.string()).optional(),
});
export type DescribeField = z.output<typeof DescribeFieldSchema>;

export const DescribeSchema = z.object({
  name: z.string(),
  deletable: z.boolean().optional(),
  replicateable: z.boolean().optional(),
  queryable: z.boolean().optional(),
  fields: z.array(DescribeFieldSchema).min(1),
});
export type SObjectDescribe = z.output<typeof DescribeSchema>;

export const DeletedSchema = z.object({
  deletedRecords: z.array(z.object({ id: z.string(), deletedDate: z.string() })),
  earliestDateAvailable: z.string().nullable().optional(),
  latestDateCovered: z.string().nullable().optional(),
});

const Limit = z.object({ Max: z.number(), Remaining: z.number() });
export const LimitsSchema = z.looseObject({
  DailyApiRequests: Limit.optional(),
  DailyBulkV2QueryJobs: Limit.optional(),
});

export const BulkJobSchema = z.looseObject({
  id: z.string().min(1),
  state: z.enum(['Open', 'UploadComplete', 'InProgress', 'JobComplete', 'Failed', 'Aborted']),
  errorMessage: z.string().nullable().optional(),
  numberRecordsProcessed: z.number().optional(),
});
export type BulkJob = z.output<typeof BulkJobSchema>;
