import { Kysely } from 'kysely';
import type { z } from 'zod';
import { openWarehouse } from '../open-warehouse.js';
import type { Warehouse } from '../warehouse.js';
import { WarehouseSchema } from '../warehouse-config.js';
import { TideDialect } from './tide-kysely-dialect.js';

/**
 * A typed query builder on the configured warehouse, for your own scripts:
 *
 *   const db = await openKysely<Database>({ kind: 'duckdb', path: './tide.duckdb' });
 *   const rows = await db.selectFrom('analytics.customers').select(['customer_id', 'email']).execute();
 *   await db.destroy();
 *
 * `Database` is the interface `tide types` writes. Read-only unless `{ write: true }` (DuckDB then
 * opens the file for writing and locks out other writers).
 */
export async function openKysely<Database>(
  warehouse: z.input<typeof WarehouseSchema>,
  options: { readonly write?: boolean } = {},
): Promise<Kysely<Database>> {
  const config = WarehouseSchema.parse(warehouse);
  const opened = await openWarehouse(config, { readOnly: options.write !== true });
  return new Kysely<Database>({
    dialect: new TideDialect(opened, { closeOnDestroy: true }),
  });
}

/** The typed builder on a warehouse someone else opened (and will close): Tide's own code. */
export function kyselyOn<Database>(warehouse: Warehouse): Kysely<Database> {
  return new Kysely<Database>({ dialect: new TideDialect(warehouse) });
}
