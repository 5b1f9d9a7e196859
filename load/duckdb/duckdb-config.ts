import { z } from 'zod';

/** A DuckDB memory size: a number and a unit (`512MB`, `2GB`, `1.5GiB`). */
const MemorySize = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'a size such as 512MB or 2GB');

/** `warehouse: { kind: 'duckdb', ... }` in pipeline.config.ts: one embedded database file. */
export const DuckdbWarehouseSchema = z
  .object({
    kind: z.literal('duckdb'),
    path: z.string().min(1).default('./tide.duckdb'),
    /** Rows per appended batch / staging flush. */
    batchSize: z.number().int().positive().default(10_000),
    /**
     * DuckDB's memory for model builds and queries (default 1GB), and the room a load commit gets
     * when its package does not fit the load limit. Raise it for very wide CRM objects.
     */
    memoryLimit: MemorySize.optional(),
    /** DuckDB's memory while a load package stages its records (default 256MB). */
    loadMemoryLimit: MemorySize.optional(),
  })
  .strict();
