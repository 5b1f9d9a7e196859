import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import type { WarehouseFixtureFactory } from './warehouse-harness.js';

/**
 * A DuckDB file in its own temp directory: reopening sees the same data. Every package takes the
 * large-package commit path here (`bulkInsertFrom: 0`), the in-memory fixture the small-package one,
 * so the whole suite runs over both.
 */
export const duckdbFileFixture: WarehouseFixtureFactory = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tide-wh-'));
  return {
    persistent: true,
    open: () => openDuckdbWarehouse({ path: join(dir, 'tide.duckdb'), batchSize: 500, bulkInsertFrom: 0 }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
};

/** An in-memory DuckDB: gone on close, so crash checks run within one instance. */
export const duckdbMemoryFixture: WarehouseFixtureFactory = async () => ({
  persistent: false,
  open: () => openDuckdbWarehouse({ path: ':memory:' }),
  dispose: async () => undefined,
});
