import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { renderDatabaseTypes, type TableDocs } from '../../load/kysely/database-types.js';
import { readWarehouseColumns } from '../../load/kysely/warehouse-columns.js';
import type { Warehouse } from '../../load/warehouse.js';
import { columnDescriptions, type ModelProject } from '../../transform/project/load-project.js';

/** The schemas `tide types` describes by default: raw CRM tables and the models. */
export const TYPED_SCHEMAS: readonly string[] = ['raw', 'staging', 'analytics'];

/** A model's descriptions (its JSON) and the columns its not_null tests guarantee. */
export function modelDocs(project: ModelProject): (schema: string, table: string) => TableDocs | undefined {
  return (schema, table) => {
    const model = project.models.get(table);
    if (!model || model.schema !== schema) return undefined;
    const notNull = new Set(
      model.tests
        .filter((t) => t.kind === 'not_null' && t.severity === 'error' && t.where === undefined)
        .map((t) => (t.kind === 'not_null' ? t.column : '')),
    );
    return { description: model.description, columns: columnDescriptions(project, model), notNull };
  };
}

/**
 * Writes the Kysely `Database` interface of the warehouse's tables (`tide types`, and after every
 * `tide models run`). Returns the number of tables described.
 */
export async function writeDatabaseTypes(
  warehouse: Warehouse,
  project: ModelProject,
  out: string,
  schemas: readonly string[] = TYPED_SCHEMAS,
): Promise<number> {
  const columns = await readWarehouseColumns(warehouse, schemas);
  const path = resolve(out);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderDatabaseTypes(columns, modelDocs(project)));
  return new Set(columns.map((c) => `${c.schema}.${c.table}`)).size;
}
