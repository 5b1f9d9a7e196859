import { z } from 'zod';
import { HubspotSourceSchema } from '../crm/hubspot/hubspot-config.js';
import { PipedriveSourceSchema } from '../crm/pipedrive/pipedrive-config.js';
import { SalesforceSourceSchema } from '../crm/salesforce/salesforce-config.js';
import { BigqueryWarehouseSchema } from '../load/bigquery/bigquery-config.js';
import { PushLogRetentionDaysSchema } from '../reverse/push-log-retention.js';
import { refineSyncs, SyncsSchema } from '../reverse/sync-config.js';
import { ModelsConfigSchema } from '../transform/models-config.js';

/** One entry per CRM kind; each CRM's schema lives next to its client in crm/<vendor>/. */
export const SourceSchema = z.discriminatedUnion('kind', [
  HubspotSourceSchema,
  SalesforceSourceSchema,
  PipedriveSourceSchema,
]);
export type SourceConfig = z.output<typeof SourceSchema>;

export const DuckdbWarehouseSchema = z
  .object({
    kind: z.literal('duckdb'),
    path: z.string().min(1).default('./tide.duckdb'),
    /** Rows per appended batch / staging flush. */
    batchSize: z.number().int().positive().default(10_000),
  })
  .strict();

export const WarehouseSchema = z.discriminatedUnion('kind', [DuckdbWarehouseSchema, BigqueryWarehouseSchema]);
export type WarehouseConfig = z.output<typeof WarehouseSchema>;

export const PipelineConfigSchema = z
  .object({
    sources: z.array(SourceSchema).min(1, 'configure at least one source'),
    warehouse: WarehouseSchema.default({ kind: 'duckdb', path: './tide.duckdb', batchSize: 10_000 }),
    extract: z
      .object({
        /** Streams of all sources extracted at once. */
        concurrency: z.number().int().positive().max(32).default(4),
        /** Commit a load package every N records of a sorted stream, so a crash loses little work. */
        checkpointEvery: z.number().int().positive().default(50_000),
      })
      .strict()
      .default({ concurrency: 4, checkpointEvery: 50_000 }),
    /** SQL models (transform/README.md): source priority, required fields, identity rules. */
    models: ModelsConfigSchema.prefault({}),
    /** Reverse ETL: model rows pushed back into a CRM (reverse/sync-config.ts). */
    syncs: SyncsSchema,
    /** Settings shared by every sync. */
    reverse: z
      .object({
        /** `tide.push_log` lines older than this are deleted after each `tide reverse` run. */
        pushLogRetentionDays: PushLogRetentionDaysSchema,
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    refineSyncs(config.syncs, config.sources, ctx);
    const seen = new Set<string>();
    config.sources.forEach((source, i) => {
      if (seen.has(source.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sources', i, 'name'],
          message: `duplicate source name "${source.name}"`,
        });
      }
      seen.add(source.name);
    });
  });

export type PipelineConfigInput = z.input<typeof PipelineConfigSchema>;
export type PipelineConfig = z.output<typeof PipelineConfigSchema>;
