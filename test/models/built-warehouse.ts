import { join } from 'node:path';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { writeConfig } from '../cli/cli-helpers.js';
import { ALL_STREAMS } from './crm-fixture.js';
import { buildModels, loadStream } from './model-fixture.js';

export interface BuiltWarehouse {
  /** pipeline.config.ts pointing at the file. */
  readonly config: string;
  readonly dir: string;
  readonly path: string;
}

/**
 * The three-CRM fixture loaded through the real load path and (unless `build: false`) every shipped
 * model built, in a DuckDB file with a config beside it: what commands that read the modeled tables
 * (sql, export, docs, types) run against.
 */
export async function builtWarehouse(
  extraConfig: Record<string, unknown> = {},
  options: { readonly build?: boolean } = {},
): Promise<BuiltWarehouse> {
  const written = writeConfig((dir) => ({
    sources: [
      { kind: 'hubspot', tokenEnv: 'TIDE_TEST_HS_TOKEN' },
      { kind: 'salesforce', clientIdEnv: 'TIDE_TEST_SF_ID', clientSecretEnv: 'TIDE_TEST_SF_SECRET' },
      { kind: 'pipedrive', apiTokenEnv: 'TIDE_TEST_PD_TOKEN' },
    ],
    warehouse: { kind: 'duckdb', path: join(dir, 'w.duckdb') },
    ...extraConfig,
  }));
  const path = join(written.dir, 'w.duckdb');
  const warehouse = await openDuckdbWarehouse({ path });
  try {
    await warehouse.init();
    for (const stream of ALL_STREAMS) await loadStream(warehouse, stream);
    if (options.build !== false) await buildModels(warehouse);
  } finally {
    await warehouse.close();
  }
  return { config: written.file, dir: written.dir, path };
}
