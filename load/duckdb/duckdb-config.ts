import { z } from 'zod';

/** `warehouse: { kind: 'duckdb', ... }` in pipeline.config.ts: one embedded database file. */
export const DuckdbWarehouseSchema = z
  .object({
    kind: z.literal('duckdb'),
    path: z.string().min(1).default('./tide.duckdb'),
    /** Rows per appended batch / staging flush. */
    batchSize: z.number().int().positive().default(10_000),
  })
  .strict();
