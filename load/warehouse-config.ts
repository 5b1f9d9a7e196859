import { z } from 'zod';
import { BigqueryWarehouseSchema } from './bigquery/bigquery-config.js';
import { DuckdbWarehouseSchema } from './duckdb/duckdb-config.js';

/** `warehouse` in pipeline.config.ts: one entry per warehouse Tide can load into. */
export const WarehouseSchema = z.discriminatedUnion('kind', [DuckdbWarehouseSchema, BigqueryWarehouseSchema]);
export type WarehouseConfig = z.output<typeof WarehouseSchema>;
