import type { LogicalType } from '../../core/column-spec.js';
import { cursorState } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import { BIGQUERY_API_TYPES } from '../../load/bigquery/bigquery-types.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import type { LoadPackage, Warehouse } from '../../load/warehouse.js';
import type { FieldType } from './bigquery-rest-shapes.js';
import type { AnswerField, QueryAnswer } from './bigquery-wire.js';
import type { DoubleHooks, DoubleLoadJob, DoubleQueryJob } from './double-hooks.js';

const SYSTEM_TYPES: Readonly<Record<string, FieldType>> = {
  _tide_id: 'STRING',
  _tide_updated_at: 'TIMESTAMP',
  _tide_deleted: 'BOOLEAN',
  _tide_record: 'JSON',
  _tide_loaded_at: 'TIMESTAMP',
  _tide_load_id: 'STRING',
};
const DUCKDB_TO_API: Readonly<Record<string, FieldType>> = {
  VARCHAR: 'STRING',
  BIGINT: 'INTEGER',
  DOUBLE: 'FLOAT',
  BOOLEAN: 'BOOLEAN',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP',
  DATE: 'DATE',
  JSON: 'JSON',
};
const REQUEST_TYPES: Readonly<Record<string, FieldType>> = {
  run_id: 'STRING',
  source: 'STRING',
  endpoint: 'STRING',
  status: 'INTEGER',
  count: 'INTEGER',
};

interface Mirrored {
  readonly pkg: LoadPackage;
  readonly replace: boolean;
  /** The package uploaded a live-id listing (LoadPackage.appendLiveIds), even an empty one. */
  listed: boolean;
  /** The BigQuery package's staging-table suffix, to recognise its load jobs. */
  readonly suffix: string;
  staged: number;
}

/**
 * The storage engine behind the BigQuery double in the conformance run. The double only checks
 * requests; answers to query jobs need *some* data, and this oracle keeps it in DuckDB — driven by
 * what the BigQuery warehouse sends, not by what the suite asked for: records come from the
 * uploaded NDJSON (`_tide_id`, `_tide_updated_at`, `_tide_deleted`, `_tide_record` as BigQuery would
 * receive them), a commit happens when the commit script arrives and uses its `@cursor_value`,
 * `@cursor_ids`, `@deletes_checked_at` and `@load_id` parameters, request counts come from `@rows`, user queries run with
 * the decoded positional parameters. Answers go back in BigQuery's wire format with BigQuery's
 * column types, so decoding is exercised as on the real service. What the oracle cannot do is
 * execute BigQuery's SQL: the MERGE/transaction semantics come from DuckDB here, and are covered for
 * BigQuery by the golden SQL tests only.
 */
export class BigqueryOracle {
  readonly #path: string;
  #warehouse: Warehouse | null = null;
  /** BigQuery load id → the mirrored DuckDB package. */
  readonly #packages = new Map<string, Mirrored>();
  /** DuckDB load id → BigQuery load id, to rewrite ids in answers. */
  readonly #loadIds = new Map<string, string>();

  constructor(path: string) {
    this.#path = path;
  }

  get warehouse(): Warehouse {
    if (this.#warehouse === null) throw new Error('oracle not open');
    return this.#warehouse;
  }

  async open(): Promise<void> {
    this.#warehouse = await openDuckdbWarehouse({ path: this.#path });
  }

  async close(): Promise<void> {
    await this.#warehouse?.close();
    this.#warehouse = null;
    this.#packages.clear();
  }

  /** Called by the mirrored warehouse when both sides began a package. */
  track(bigqueryLoadId: string, pkg: LoadPackage, replace: boolean): void {
    this.#packages.set(bigqueryLoadId, {
      pkg,
      replace,
      listed: false,
      suffix: bigqueryLoadId.replace(/[^a-z0-9]/gi, ''),
      staged: 0,
    });
  }

  hooks(): DoubleHooks {
    return {
      answer: (job) => this.#answer(job),
      onLoad: (job) => this.#onLoad(job),
      table: (_dataset, table) => this.#tableFields(table),
    };
  }

  /** tables.get of a raw table: its DuckDB columns under the names BigQuery's API gives their types. */
  async #tableFields(table: string): Promise<AnswerField[] | null> {
    const rows = await collect(
      this.warehouse.query(
        `SELECT column_name, data_type FROM duckdb_columns()
         WHERE database_name = current_database() AND schema_name = 'raw' AND table_name = ?`,
        [table],
      ),
    );
    if (rows.length === 0) return null;
    return rows.map((r) => ({
      name: String(r.column_name),
      type: (DUCKDB_TO_API[String(r.data_type)] ?? String(r.data_type)) as FieldType,
    }));
  }

  async #onLoad(job: DoubleLoadJob): Promise<void> {
    const tableId = job.config.destinationTable.tableId;
    const mirrored = [...this.#packages.values()].find((m) => tableId.endsWith(m.suffix));
    if (mirrored === undefined) throw new Error(`load into ${tableId}: no package stages there`);
    if (tableId.startsWith('_live_')) {
      await mirrored.pkg.appendLiveIds(job.rows.map((row) => String(row._tide_id)));
      mirrored.listed = true;
      return;
    }
    const records: SourceRecord[] = job.rows.map((row) => ({
      id: String(row._tide_id),
      updatedAt: String(row._tide_updated_at),
      deleted: row._tide_deleted === true,
      fields: (row._tide_record ?? {}) as Record<string, unknown>,
    }));
    await mirrored.pkg.append(records);
    mirrored.staged += records.length;
  }

  async #answer(job: DoubleQueryJob): Promise<QueryAnswer> {
    const w = this.warehouse;
    const named = (Array.isArray(job.params) ? {} : (job.params ?? {})) as Record<string, unknown>;
    switch (job.labels.tide) {
      case 'init':
      case 'unstage':
      case 'evolve':
      case 'heal':
        return {};
      case 'heal_loads':
        return this.#select(
          `SELECT count(*) FILTER (WHERE status = 'completed')::INTEGER AS completed,
                  arg_max(status, completed_at) AS latest
           FROM tide.loads WHERE source = ? AND stream = ?`,
          [named.source, named.stream],
        );
      case 'execute':
        // Statements a test runs on "BigQuery" (dropping a raw table behind Tide's back) run here.
        await w.execute(job.sql);
        return {};
      case 'stage':
        // The live-id table exists once a listing was given, even an empty one.
        await this.#noteLiveTable(job.sql);
        return {};
      case 'columns':
        return this.#select(
          'SELECT field_name, column_name, logical_type FROM tide.columns WHERE table_name = ? ORDER BY rowid',
          [named.table_name],
        );
      case 'cursor': {
        const cursor = await w.readCursor(String(named.source), String(named.stream));
        return {
          fields: [
            { name: 'cursor_value', type: 'TIMESTAMP' },
            { name: 'cursor_ids', type: 'JSON' },
            { name: 'cursor_token', type: 'STRING' },
          ],
          rows:
            cursor === null
              ? []
              : [{ cursor_value: cursor.value, cursor_ids: cursor.ids, cursor_token: cursor.token ?? null }],
        };
      }
      case 'status_loads':
        return {
          fields: [
            { name: 'source', type: 'STRING' },
            { name: 'stream', type: 'STRING' },
            { name: 'last_load_id', type: 'STRING' },
            { name: 'last_completed_at', type: 'TIMESTAMP' },
            { name: 'cursor_value', type: 'TIMESTAMP' },
            { name: 'cursor_ids', type: 'JSON' },
            { name: 'cursor_token', type: 'STRING' },
            { name: 'deletes_checked_at', type: 'TIMESTAMP' },
          ],
          rows: (await w.streamStatus()).map((s) => ({
            source: s.source,
            stream: s.stream,
            last_load_id: this.#loadIds.get(s.lastLoadId ?? '') ?? s.lastLoadId,
            last_completed_at: s.lastCompletedAt,
            cursor_value: s.cursor?.value ?? null,
            cursor_ids: s.cursor?.ids ?? null,
            cursor_token: s.cursor?.token ?? null,
            deletes_checked_at: s.deletesCheckedAt,
          })),
        };
      case 'status_tables':
        return this.#select(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw'`, []);
      case 'status_counts': {
        const tables = [...job.sql.matchAll(/SELECT '([a-z0-9_]+)' AS table_name/g)].map((m) => m[1]!);
        const rows = [];
        for (const table of tables) {
          const [stats] = await collect(
            w.query(
              `SELECT count(*) AS row_count, count(*) FILTER (WHERE _tide_deleted) AS deleted_count,
                      max(_tide_updated_at) AS newest FROM raw."${table}"`,
            ),
          );
          rows.push({ table_name: table, ...stats });
        }
        return {
          fields: [
            { name: 'table_name', type: 'STRING' },
            { name: 'row_count', type: 'INTEGER' },
            { name: 'deleted_count', type: 'INTEGER' },
            { name: 'newest', type: 'TIMESTAMP' },
          ],
          rows,
        };
      }
      case 'commit':
        return this.#commit(job, named);
      case 'requests': {
        const rows = named.rows as { source: string; endpoint: string; status: number; count: number }[];
        await w.recordRequests(String(named.run_id), rows);
        return { dmlAffectedRows: rows.length };
      }
      case 'query':
        return this.#select(job.sql, Array.isArray(job.params) ? job.params : []);
      default:
        throw new Error(`the oracle does not know jobs labelled ${JSON.stringify(job.labels.tide)}`);
    }
  }

  /** Commits the mirrored package with the cursor the commit script carries, after checking it. */
  async #commit(job: DoubleQueryJob, named: Record<string, unknown>): Promise<QueryAnswer> {
    const loadId = String(named.load_id);
    const mirrored = this.#packages.get(loadId);
    if (mirrored === undefined) throw new Error(`commit of unknown load ${loadId}`);
    if (job.sql.includes('SET _tide_deleted = TRUE') !== (mirrored.replace || mirrored.listed)) {
      throw new Error(
        `commit of ${loadId}: unseen-row deletes do not match the package's replace flag and live-id listing`,
      );
    }
    if (named.rows_staged !== mirrored.staged) {
      throw new Error(
        `commit of ${loadId}: rows_staged ${String(named.rows_staged)} but ${mirrored.staged} rows were uploaded`,
      );
    }
    const cursor =
      named.cursor_value === undefined
        ? null
        : cursorState(
            String(named.cursor_value),
            JSON.parse(String(named.cursor_ids)) as string[],
            typeof named.cursor_token === 'string' ? named.cursor_token : null,
          );
    const checked = named.deletes_checked_at;
    const result = await mirrored.pkg.commit(cursor, {
      deletesCheckedAt: checked === undefined || checked === null ? null : String(checked),
    });
    this.#loadIds.set(result.loadId, loadId);
    return {
      fields: [{ name: 'rows_written', type: 'INTEGER' }],
      rows: [{ rows_written: result.rowsWritten }],
    };
  }

  async #noteLiveTable(sql: string): Promise<void> {
    const created = /`(_live_[A-Za-z0-9_]+)`/.exec(sql)?.[1];
    if (created === undefined) return;
    const mirrored = [...this.#packages.values()].find((m) => created.endsWith(m.suffix));
    if (mirrored === undefined) return;
    if (!mirrored.listed) await mirrored.pkg.appendLiveIds([]);
    mirrored.listed = true;
  }

  /** Runs SQL on DuckDB and answers with BigQuery's types for the columns (see typeOf). */
  async #select(sql: string, params: readonly unknown[]): Promise<QueryAnswer> {
    const rows = (await collect(this.warehouse.query(sql, params))).map((row) => this.#rewriteIds(row));
    const mapped = await this.#mappedTypes();
    const names = Object.keys(rows[0] ?? {});
    const fields: AnswerField[] = names.map((name) => ({ name, type: typeOf(name, rows, mapped) }));
    return { fields, rows };
  }

  async #mappedTypes(): Promise<Map<string, LogicalType>> {
    const rows = await collect(this.warehouse.query('SELECT column_name, logical_type FROM tide.columns'));
    return new Map(rows.map((r) => [String(r.column_name), r.logical_type as LogicalType]));
  }

  #rewriteIds(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? (this.#loadIds.get(v) ?? v) : v]),
    );
  }
}

/** The type BigQuery would report: Tide's own columns, the column map, else the value's kind. */
function typeOf(
  name: string,
  rows: readonly Readonly<Record<string, unknown>>[],
  mapped: ReadonlyMap<string, LogicalType>,
): FieldType {
  const column = mapped.get(name);
  const known =
    SYSTEM_TYPES[name] ??
    (column === undefined ? undefined : (BIGQUERY_API_TYPES[column] as FieldType)) ??
    REQUEST_TYPES[name];
  if (known !== undefined) return known;
  const sample = rows.map((r) => r[name]).find((v) => v !== null && v !== undefined);
  if (typeof sample === 'number') return Number.isInteger(sample) ? 'INTEGER' : 'FLOAT';
  if (typeof sample === 'boolean') return 'BOOLEAN';
  if (typeof sample === 'object') return 'JSON';
  return 'STRING';
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}
