import { isLogicalType, type LogicalType } from '../../core/column-spec.js';
import { TideError } from '../../core/tide-error.js';
import type { Dialect, RelationName } from '../../load/dialect/dialect.js';
import type { Warehouse } from '../../load/warehouse.js';

export type RelationKind = 'table' | 'view';

/** Where the loader put one CRM field of a raw table (`tide.columns`). */
export interface FieldColumn {
  readonly column: string;
  readonly type: LogicalType;
}

export interface CatalogRelation {
  readonly kind: RelationKind;
  /** Column names in table order. */
  readonly columns: readonly string[];
}

/**
 * What exists in the warehouse: raw tables and the loader's field → column map `tide.columns` (so
 * `source()` knows which typed columns it can read), and
 * model relations (so the runner knows whether an incremental model has a target and whether a
 * relation of the other kind must be dropped first). Updated in memory as the runner builds.
 */
export class Catalog {
  readonly #relations = new Map<string, CatalogRelation>();
  readonly #fields = new Map<string, Map<string, FieldColumn>>();

  static key(target: RelationName): string {
    return `${target.schema}.${target.name}`;
  }

  get(target: RelationName): CatalogRelation | undefined {
    return this.#relations.get(Catalog.key(target));
  }

  set(target: RelationName, relation: CatalogRelation): void {
    this.#relations.set(Catalog.key(target), relation);
  }

  /** Name → relation, for every relation of one schema. */
  *relationsIn(schema: string): Generator<[string, CatalogRelation]> {
    const prefix = `${schema}.`;
    for (const [key, relation] of this.#relations)
      if (key.startsWith(prefix)) yield [key.slice(prefix.length), relation];
  }

  delete(target: RelationName): void {
    this.#relations.delete(Catalog.key(target));
  }

  /** The loader's field → column map of a raw table; empty when unknown. */
  fieldColumns(rawTable: string): ReadonlyMap<string, FieldColumn> {
    return this.#fields.get(rawTable) ?? new Map();
  }

  setFieldColumn(rawTable: string, field: string, column: FieldColumn): void {
    const map = this.#fields.get(rawTable) ?? new Map<string, FieldColumn>();
    map.set(field, column);
    this.#fields.set(rawTable, map);
  }

  static async load(warehouse: Warehouse, dialect: Dialect, schemas: readonly string[]): Promise<Catalog> {
    const catalog = new Catalog();
    const columns = new Map<string, { kind: RelationKind; columns: string[] }>();
    for await (const row of warehouse.query(dialect.catalog(schemas))) {
      const key = `${String(row['table_schema'])}.${String(row['table_name'])}`;
      let entry = columns.get(key);
      if (!entry) {
        entry = { kind: String(row['table_type']).toUpperCase() === 'VIEW' ? 'view' : 'table', columns: [] };
        columns.set(key, entry);
      }
      entry.columns.push(String(row['column_name']));
    }
    for (const [key, entry] of columns) {
      const dot = key.indexOf('.');
      catalog.set({ schema: key.slice(0, dot), name: key.slice(dot + 1) }, entry);
    }
    const mapping = catalog.get({ schema: 'tide', name: 'columns' });
    if (
      mapping &&
      ['table_name', 'field_name', 'column_name', 'logical_type'].every((c) => mapping.columns.includes(c))
    ) {
      const sql = `SELECT table_name, field_name, column_name, logical_type FROM ${dialect.relation({ schema: 'tide', name: 'columns' })}`;
      for await (const row of warehouse.query(sql)) {
        const table = String(row['table_name']);
        const field = String(row['field_name']);
        const type = String(row['logical_type']);
        if (!isLogicalType(type)) {
          // Written by a newer Tide, or edited by hand: models would type the column wrongly.
          throw new TideError(
            'warehouse_error',
            `tide.columns gives ${table}.${field} the type "${type}", which this version of Tide does not know`,
            {
              hint: `rerun the extract with --full-refresh for ${table} (it rewrites its tide.columns rows)`,
            },
          );
        }
        catalog.setFieldColumn(table, field, {
          column: String(row['column_name']),
          type,
        });
      }
    }
    return catalog;
  }
}
