import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect } from 'vitest';
import { duckdbDialect } from '../../load/duckdb/duckdb-dialect.js';
import { describeModelGoldens } from '../golden/model-golden.js';

/**
 * Golden SQL: the exact DuckDB SQL each bundled model runs, on its first build and (for incremental
 * models) on a later build merging into the existing table; the DuckDB twin of
 * test/bigquery/bigquery-model-golden.test.ts. Each file is parsed by DuckDB's own parser (nothing is
 * bound or run: the model tests under test/models/ run the models). After an intended change,
 * regenerate every golden file with `npm run golden` and read the diff.
 */
let instance: DuckDBInstance;
let connection: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

describeModelGoldens({
  dialect: duckdbDialect,
  dir: join(import.meta.dirname, 'golden', 'models'),
  parses: async (text, statements) => {
    expect((await connection.extractStatements(text)).count).toBe(statements);
  },
});
