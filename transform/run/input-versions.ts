import type { Dialect, RelationName } from '../../load/dialect/dialect.js';
import type { Warehouse } from '../../load/warehouse.js';
import { Catalog } from '../compile/catalog.js';

/** Schemas whose tables are written by Tide itself (loads, system tables), never by models. */
const TIDE_WRITTEN = new Set(['raw', 'tide']);

/**
 * The column that says when a row was last written, by table family, first match wins: every load
 * commit stamps the raw rows it writes or marks deleted with `_tide_loaded_at` (a full refresh
 * replaces the table), and Tide's own tables are append-mostly logs with a time column. Together with
 * the row count it changes whenever Tide writes the table.
 */
const WRITE_TIME_COLUMNS = ['_tide_loaded_at', 'completed_at', 'recorded_at', 'logged_at', 'built_at'];

/**
 * The raw and Tide tables a model reads, and a version of each, so the runner can tell whether a
 * model's inputs changed since its last build.
 *
 * What a model reads is found in its compiled SQL, by the text the dialect writes for each relation the
 * warehouse holds (`source()` and every other macro render relations through `dialect.relation`), so it
 * needs no list of macros to trust. A table's version is its row count and newest write time, read for
 * every table the run's models read in one query, once per run: models never write raw or Tide tables,
 * so the versions cannot change while the models build. A row edited in place by hand (`tide sql
 * --write`) with the same count and write time goes unnoticed: `tide models run --full-refresh`
 * rebuilds everything.
 */
export class InputVersions {
  readonly #warehouse: Warehouse;
  readonly #dialect: Dialect;
  /** Relation text in SQL → its catalog key, for every raw and Tide table. */
  readonly #tables: Map<string, string>;
  readonly #writeColumn: Map<string, string | null>;
  readonly #versions = new Map<string, string>();

  constructor(warehouse: Warehouse, dialect: Dialect, catalog: Catalog, schemas: Iterable<string>) {
    this.#warehouse = warehouse;
    this.#dialect = dialect;
    this.#tables = new Map();
    this.#writeColumn = new Map();
    for (const schema of schemas) {
      if (!TIDE_WRITTEN.has(schema)) continue;
      for (const [name, relation] of catalog.relationsIn(schema)) {
        const target = { schema, name };
        this.#tables.set(dialect.relation(target), Catalog.key(target));
        this.#writeColumn.set(
          Catalog.key(target),
          WRITE_TIME_COLUMNS.find((c) => relation.columns.includes(c)) ?? null,
        );
      }
    }
  }

  /** The raw and Tide tables (catalog keys, sorted) that appear in the SQL. */
  tablesIn(sql: string): string[] {
    const found: string[] = [];
    for (const [text, key] of this.#tables) if (mentions(sql, text)) found.push(key);
    return found.sort();
  }

  /** `key=count:newest` for each table, read from the warehouse the first time it is asked for. */
  async versionsOf(keys: readonly string[]): Promise<string[]> {
    const missing = keys.filter((k) => !this.#versions.has(k));
    if (missing.length > 0) await this.#read(missing);
    return keys.map((k) => `${k}=${this.#versions.get(k) ?? ''}`);
  }

  async #read(keys: readonly string[]): Promise<void> {
    const d = this.#dialect;
    const text = d.type('string');
    const selects = keys.map((key) => {
      const dot = key.indexOf('.');
      const target: RelationName = { schema: key.slice(0, dot), name: key.slice(dot + 1) };
      const column = this.#writeColumn.get(key) ?? null;
      const newest =
        column === null ? `CAST(NULL AS ${text})` : `CAST(MAX(${d.quoteIdent(column)}) AS ${text})`;
      return `SELECT ${d.string(key)} AS k, CAST(COUNT(*) AS ${text}) AS n, ${newest} AS v FROM ${d.relation(target)}`;
    });
    for await (const row of this.#warehouse.query(selects.join('\nUNION ALL\n'))) {
      this.#versions.set(
        String(row['k']),
        `${String(row['n'])}:${row['v'] === null ? '' : String(row['v'])}`,
      );
    }
  }
}

/** True when `text` occurs in `sql` as a whole relation name (not the start of a longer one). */
export function mentions(sql: string, text: string): boolean {
  for (let at = sql.indexOf(text); at >= 0; at = sql.indexOf(text, at + 1)) {
    const after = sql.charAt(at + text.length);
    // Relations are written quoted; an unquoting dialect would write `raw.a` inside `raw.a_b`.
    if (!/[A-Za-z0-9_$.]/.test(after)) return true;
  }
  return false;
}
