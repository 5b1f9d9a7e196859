import { z } from 'zod';

/**
 * BigQuery v2 REST request shapes (https://cloud.google.com/bigquery/docs/reference/rest/v2), strict:
 * a field BigQuery does not define is a bug in what Tide sends. Two exceptions are tolerated because
 * @google-cloud/bigquery itself adds them and BigQuery ignores them: `configuration.query.types`
 * (the SDK leaves its `types` option in place) and `configuration.load.location`.
 */
const ProjectId = z.string().regex(/^([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
const JobId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,1024}$/, 'job ids are letters, digits, _ and - (at most 1024)');
const LabelKey = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/);
const LabelValue = z.string().regex(/^[a-z0-9_-]{0,63}$/);

export const JobReference = z
  .object({ projectId: ProjectId, jobId: JobId, location: z.string().optional() })
  .strict();

const PARAM_TYPES = [
  'STRING',
  'INT64',
  'FLOAT64',
  'NUMERIC',
  'BIGNUMERIC',
  'BOOL',
  'BYTES',
  'TIMESTAMP',
  'DATE',
  'TIME',
  'DATETIME',
  'GEOGRAPHY',
  'JSON',
  'ARRAY',
  'STRUCT',
] as const;

export interface ParamType {
  readonly type: (typeof PARAM_TYPES)[number];
  readonly arrayType?: ParamType | undefined;
  readonly structTypes?:
    | readonly { readonly name?: string | undefined; readonly type: ParamType }[]
    | undefined;
}
export const ParamType: z.ZodType<ParamType> = z.lazy(() =>
  z
    .object({
      type: z.enum(PARAM_TYPES),
      arrayType: ParamType.optional(),
      structTypes: z.array(z.object({ name: z.string().optional(), type: ParamType }).strict()).optional(),
    })
    .strict(),
);

export interface ParamValue {
  readonly value?: string | number | boolean | null | undefined;
  readonly arrayValues?: readonly ParamValue[] | undefined;
  readonly structValues?: Readonly<Record<string, ParamValue>> | undefined;
}
export const ParamValue: z.ZodType<ParamValue> = z.lazy(() =>
  z
    .object({
      value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
      arrayValues: z.array(ParamValue).optional(),
      structValues: z.record(z.string(), ParamValue).optional(),
    })
    .strict(),
);

export const QueryParameter = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional(),
    parameterType: ParamType,
    parameterValue: ParamValue,
  })
  .strict();
export type QueryParameter = z.output<typeof QueryParameter>;

export const QueryConfig = z
  .object({
    query: z.string().min(1),
    useLegacySql: z.literal(false),
    parameterMode: z.enum(['named', 'positional', 'NAMED', 'POSITIONAL']).optional(),
    queryParameters: z.array(QueryParameter).optional(),
    types: z.unknown().optional(),
  })
  .strict();

export const QueryJobInsert = z
  .object({
    jobReference: JobReference,
    configuration: z
      .object({ query: QueryConfig, labels: z.record(LabelKey, LabelValue).optional() })
      .strict(),
  })
  .strict();
export type QueryJobInsert = z.output<typeof QueryJobInsert>;

export const FIELD_TYPES = [
  'STRING',
  'BYTES',
  'INTEGER',
  'INT64',
  'FLOAT',
  'FLOAT64',
  'NUMERIC',
  'BIGNUMERIC',
  'BOOLEAN',
  'BOOL',
  'TIMESTAMP',
  'DATE',
  'TIME',
  'DATETIME',
  'GEOGRAPHY',
  'JSON',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FieldSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,299}$/, 'column names are letters, digits and _ (at most 300)'),
    type: z.enum(FIELD_TYPES),
    mode: z.enum(['NULLABLE', 'REQUIRED']).optional(),
  })
  .strict();
export type FieldSchema = z.output<typeof FieldSchema>;

export const LoadConfig = z
  .object({
    destinationTable: z
      .object({
        projectId: ProjectId,
        datasetId: z.string().regex(/^[A-Za-z0-9_]{1,1024}$/),
        tableId: z.string().regex(/^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]{1,1024}$/u),
      })
      .strict(),
    sourceFormat: z.enum(['CSV', 'NEWLINE_DELIMITED_JSON', 'AVRO', 'PARQUET', 'ORC', 'DATASTORE_BACKUP']),
    schema: z
      .object({ fields: z.array(FieldSchema).min(1) })
      .strict()
      .optional(),
    autodetect: z.boolean().optional(),
    writeDisposition: z.enum(['WRITE_TRUNCATE', 'WRITE_APPEND', 'WRITE_EMPTY']).optional(),
    createDisposition: z.enum(['CREATE_IF_NEEDED', 'CREATE_NEVER']).optional(),
    schemaUpdateOptions: z.array(z.enum(['ALLOW_FIELD_ADDITION', 'ALLOW_FIELD_RELAXATION'])).optional(),
    ignoreUnknownValues: z.boolean().optional(),
    maxBadRecords: z.number().int().nonnegative().optional(),
    location: z.string().optional(),
  })
  .strict()
  .refine((c) => c.schemaUpdateOptions === undefined || c.writeDisposition === 'WRITE_APPEND', {
    message: 'schemaUpdateOptions can only be specified with WRITE_APPEND',
  });
export type LoadConfig = z.output<typeof LoadConfig>;

export const LoadJobInsert = z
  .object({ jobReference: JobReference, configuration: z.object({ load: LoadConfig }).strict() })
  .strict();
