import { z } from 'zod';
import { envVarName } from '../../core/config-pieces.js';

/**
 * `warehouse: { kind: 'bigquery', ... }` in pipeline.config.ts.
 *
 * One dataset per Tide schema, named exactly like it: `raw`, `tide`, `staging`, `analytics` in
 * `projectId`. Every stage names these schemas in its SQL (models through the dialect layer,
 * reverse ETL's `tide.*` tables, `tide sql`, the conformance suite), and BigQuery resolves
 * `raw.hubspot__contacts` against the job's project, so the same SQL works on DuckDB and here. A
 * dataset prefix would have to be rewritten into every one of those statements; to keep two
 * pipelines apart, give each its own project (BigQuery's usual unit of isolation and billing).
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
