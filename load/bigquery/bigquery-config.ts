import { z } from 'zod';
import { envVarName } from '../../config/common-schema.js';

/**
 * `warehouse: { kind: 'bigquery', ... }` in pipeline.config.ts.
 *
 * One dataset per Tide schema: `raw`, `tide`, `staging`, `analytics` (plus `datasetPrefix`, so
 * several pipelines can share a project: prefix `crm_` gives `crm_raw`, `crm_tide`, ...). Without a
 * prefix the datasets carry exactly the schema names DuckDB uses, so SQL written against DuckDB
 * (`select * from raw.hubspot__contacts`) resolves unchanged in the job's project.
 */
export const BigqueryWarehouseSchema = z
  .object({
    kind: z.literal('bigquery'),
    /** The Google Cloud project that owns the datasets and runs (and pays for) the jobs. */
    projectId: z
      .string({ error: 'required: the Google Cloud project id, e.g. "acme-analytics"' })
      .regex(
        /^([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
        'a Google Cloud project id: 6-30 lower-case letters, digits and hyphens, starting with a letter',
      ),
    /** Prepended to every dataset name (`crm_` → `crm_raw`); empty keeps the plain schema names. */
    datasetPrefix: z
      .string()
      .regex(/^([A-Za-z_][A-Za-z0-9_]{0,63})?$/, 'letters, digits and _ (start with a letter or _)')
      .default(''),
    /** Where the datasets are created and every job runs: `US`, `EU` or a region such as `europe-west3`. */
    location: z
      .string()
      .regex(/^[A-Za-z]+(-[a-z]+[0-9]+)?$/, 'a BigQuery location such as US, EU or europe-west3')
      .default('US'),
    /**
     * Environment variable holding the path of a service-account key file. Omit it to use Application
     * Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, `gcloud auth application-default login`, or
     * the metadata server on Google Cloud).
     */
    keyFileEnv: envVarName.optional(),
    /** Rows per load file: each file becomes one load job into the load's staging table. */
    batchSize: z.number().int().positive().max(5_000_000).default(250_000),
  })
  .strict();
export type BigqueryWarehouseConfig = z.output<typeof BigqueryWarehouseSchema>;
