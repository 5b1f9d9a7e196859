import { z } from 'zod';
import { capabilitiesOf, SourceSchema } from '../connectors/registry.js';
import { DEFAULT_RATE_LIMIT_WAIT_SECONDS } from '../http/rate-limit-waits.js';
import { WarehouseSchema } from '../load/warehouse-config.js';
import { AlertsConfigSchema } from '../ops/alerts/alert-config.js';
import { HealthConfigSchema } from '../ops/health/thresholds.js';
import { RunRetentionDaysSchema } from '../ops/runs/run-history.js';
import { PushLogRetentionDaysSchema } from '../reverse/push-log-retention.js';
import { refineSyncs, SyncsSchema } from '../reverse/sync-config.js';
import { ModelsConfigSchema, resolveModelsConfig } from '../transform/models-config.js';
import { connectorModelsDefaults } from './models-defaults.js';

export type { SourceConfig } from '../connectors/registry.js';

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
    /**
     * How long one run may spend waiting out CRM rate limits (429s and their equivalents), over all
     * sources. Waits never fail a run; when this is spent the waiting streams and syncs stop as
     * partial (exit 3) with their data and cursors kept.
     */
    rateLimitWaitSeconds: z.number().int().nonnegative().default(DEFAULT_RATE_LIMIT_WAIT_SECONDS),
    /** SQL models (transform/README.md): source priority, required fields, identity rules. */
    models: ModelsConfigSchema.prefault({}).transform((models) =>
      resolveModelsConfig(models, connectorModelsDefaults()),
    ),
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
    /** Run history (`tide.runs`): one row per run / extract / models / reverse. */
    runs: z
      .object({
        /** Runs started longer ago than this are deleted after each run; null keeps them all. */
        retentionDays: RunRetentionDaysSchema,
      })
      .strict()
      .prefault({}),
    /** Health thresholds (report and alerts) and the report's settings (ops/health/thresholds.ts). */
    health: HealthConfigSchema.prefault({}),
    /** A webhook POSTed when a run fails, ends partial or a metric crosses its threshold. */
    alerts: AlertsConfigSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    refineSyncs(config.syncs, config.sources, capabilitiesOf, ctx);
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
