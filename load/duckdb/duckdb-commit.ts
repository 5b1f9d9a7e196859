import type { DuckDBConnection } from '@duckdb/node-api';
import type { CursorState } from '../../core/cursor-state.js';
import { ColumnMapping, type MappedColumn, SYSTEM_COLUMNS } from '../column-mapping.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { toDuckdbParams } from './duckdb-params.js';
import { RAW_SYSTEM_COLUMNS_DDL } from './duckdb-raw-table.js';
import { DuckdbStagingTable } from './duckdb-staging-table.js';
import { LOADS_COLUMNS, readMappedColumns } from './duckdb-system-tables.js';

export interface CommitInput {
  readonly table: string;
  /** The typed columns of the staging table. */
  readonly staged: readonly MappedColumn[];
  readonly replace: boolean;
  /** The table of ids the source listed as live (LoadPackage.appendLiveIds); null when none were. */
  readonly liveIds: string | null;
  readonly loadId: string;
  readonly runId: string;
  readonly source: string;
  readonly stream: string;
  readonly startedAt: Date;
  readonly rowsStaged: number;
  /** Insert the ids the table lacks by a plain INSERT, apart from the upsert (see upsert()). */
  readonly insertNewIdsApart: boolean;
  /** Already validated: `value` is an ISO timestamp. */
  readonly cursor: CursorState | null;
  /** CommitMarks.deletesCheckedAt, validated; null when the read did not check deletes. */
  readonly deletesCheckedAt: Date | null;
}

const q = (name: string): string => duckdbDialect.quoteIdent(name);
const STAGING = DuckdbStagingTable.qualifiedName;

/**
 * Moves a staging table into its raw table in ONE transaction — table and new columns, upsert,
 * full-refresh (or live-id listing) deletes, cursor row, and the completion row last (with the time deletes were
 * checked up to, so that time never runs ahead of the data) — so a failure at any step leaves
 * the raw table, the column map and the cursor exactly as they were. Returns the rows written.
 * The caller serializes commits: DuckDB's optimistic concurrency would otherwise abort one of two
 * transactions that both append to tide.loads at the same moment.
 */
export async function commitStaging(connection: DuckDBConnection, input: CommitInput): Promise<number> {
  const target = `raw.${q(input.table)}`;
  const loadedAt = new Date();
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(`CREATE TABLE IF NOT EXISTS ${target} (${RAW_SYSTEM_COLUMNS_DDL})`);
    const mapping = await addNewColumns(connection, target, input);
    const written = await upsert(connection, target, mapping, input, loadedAt);
    if (input.replace || input.liveIds !== null) {
      const listed =
        input.liveIds === null
          ? ''
          : ` AND NOT EXISTS (SELECT 1 FROM ${input.liveIds} l WHERE l._tide_id = t._tide_id)`;
      await connection.run(
        `UPDATE ${target} AS t SET _tide_deleted = true, _tide_loaded_at = ?, _tide_load_id = ?
         WHERE NOT t._tide_deleted AND NOT EXISTS (SELECT 1 FROM ${STAGING} s WHERE s._tide_id = t._tide_id)${listed}`,
        toDuckdbParams([loadedAt, input.loadId]),
      );
    }
    if (input.cursor !== null) {
      await connection.run(
        `INSERT INTO tide.cursors (load_id, source, stream, cursor_value, cursor_ids, cursor_token)
         VALUES (?, ?, ?, ?::TIMESTAMPTZ, ?::JSON, ?)`,
        toDuckdbParams([
          input.loadId,
          input.source,
          input.stream,
          new Date(input.cursor.value),
          JSON.stringify(input.cursor.ids),
          input.cursor.token ?? null,
        ]),
      );
    }
    // completed_at strictly increases per stream, so "the newest completed load" is never a tie even
    // when two commits land in the same millisecond.
    await connection.run(
      `INSERT INTO tide.loads (${LOADS_COLUMNS})
       SELECT ?, ?, ?, ?, ?::TIMESTAMPTZ,
              greatest(?::TIMESTAMPTZ, coalesce(max(completed_at) + INTERVAL 1 MICROSECOND, ?::TIMESTAMPTZ)),
              ?, ?, 'completed', ?::TIMESTAMPTZ
       FROM tide.loads WHERE source = ? AND stream = ?`,
      toDuckdbParams([
        input.loadId,
        input.runId,
        input.source,
        input.stream,
        input.startedAt,
        loadedAt,
        loadedAt,
        input.rowsStaged,
        written,
        input.deletesCheckedAt,
        input.source,
        input.stream,
      ]),
    );
    await connection.run('COMMIT');
    return written;
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Maps the staged fields onto the committed column map (read inside the transaction, so a package
 * of the same stream that committed meanwhile is seen) and adds the columns the table lacks.
 */
async function addNewColumns(
  connection: DuckDBConnection,
  target: string,
  input: CommitInput,
): Promise<ColumnMapping> {
  const mapping = new ColumnMapping(await readMappedColumns(connection, input.table));
  const added = mapping.add(input.staged.map((c) => ({ name: c.field, type: c.type })));
  for (const column of added) {
    await connection.run(
      `ALTER TABLE ${target} ADD COLUMN IF NOT EXISTS ${q(column.column)} ${duckdbDialect.type(column.type)}`,
    );
    await connection.run(
      'INSERT INTO tide.columns VALUES (?, ?, ?, ?, ?)',
      toDuckdbParams([input.table, column.field, column.column, column.type, input.loadId]),
    );
  }
  return mapping;
}

/**
 * The newest version of each record wins: staging is first reduced to one row per id (latest
 * `_tide_updated_at`, then latest arrival), and an existing row is replaced only by a version at
 * least as new — unless the existing row's last-modified lies after the time it was loaded (a CRM
 * with a bad clock stamped it, e.g. 9999-12-31): such a stamp orders nothing, and the next version
 * read replaces it instead of being refused as "older" for ever. A version identical to the stored one
 * is left as it is. Every mapped column is set on update — NULL when this package has no such field —
 * so the typed columns always describe the same version as `_tide_record`.
 */
async function upsert(
  connection: DuckDBConnection,
  target: string,
  mapping: ColumnMapping,
  input: CommitInput,
  loadedAt: Date,
): Promise<number> {
  const stagedByField = new Map(input.staged.map((c) => [c.field, c]));
  const typed = mapping.all().filter((c) => stagedByField.has(c.field));
  const sourceExpr = (column: MappedColumn): string => {
    const staged = stagedByField.get(column.field)!;
    const expr = `s.${q(staged.column)}`;
    return staged.type === column.type ? expr : `TRY_CAST(${expr} AS ${duckdbDialect.type(column.type)})`;
  };
  const insertColumns = [...SYSTEM_COLUMNS, ...typed.map((c) => q(c.column))];
  // In SYSTEM_COLUMNS order: the last two are this load's, not the staged record's.
  const selectList = [
    ...SYSTEM_COLUMNS.slice(0, 4).map((c) => `s.${c}`),
    '?::TIMESTAMPTZ',
    '?',
    ...typed.map(sourceExpr),
  ];
  const carried = new Set(typed.map((c) => c.column));
  const assignments = [
    ...SYSTEM_COLUMNS.slice(1, 4).map((c) => ({ column: c, value: `excluded.${c}` })),
    ...mapping.all().map((c) => ({
      column: q(c.column),
      value: carried.has(c.column) ? `excluded.${q(c.column)}` : 'NULL',
    })),
  ];
  const setList = [
    ...assignments.map((a) => `${a.column} = ${a.value}`),
    ...SYSTEM_COLUMNS.slice(4).map((c) => `${c} = excluded.${c}`),
  ];
  // The staged row is the version the table holds when every column the update would set already
  // has that value (a column re-added by healing is NULL, so its reload still fills it). Cursor
  // overlaps and tie re-reads stage such rows on every run; rewriting them would move
  // `_tide_loaded_at` for nothing, and with it every incremental model and every model the runner
  // would otherwise find unchanged (transform/run/input-versions.ts).
  const sameVersion = assignments.map((a) => `t.${a.column} IS NOT DISTINCT FROM ${a.value}`).join(' AND ');
  // A package rarely holds an id twice, and a count of distinct ids is far cheaper than ranking
  // every row (about 6 % of a first load's CPU).
  if (await stagedTwice(connection)) await dropOlderVersions(connection);
  const upsertSql = (where: string): string =>
    `INSERT INTO ${target} AS t (${insertColumns.join(', ')})
     SELECT ${selectList.join(', ')} FROM ${STAGING} s
     ${where}
     ON CONFLICT (_tide_id) DO UPDATE SET ${setList.join(', ')}
     WHERE (excluded._tide_updated_at >= t._tide_updated_at OR t._tide_updated_at > t._tide_loaded_at)
       AND NOT (${sameVersion})`;
  const params = toDuckdbParams([loadedAt, input.loadId]);
  if (!input.insertNewIdsApart) return (await connection.run(upsertSql(''), params)).rowsChanged;
  // A large package (a first load, a full refresh) is mostly ids the table lacks. An INSERT with ON
  // CONFLICT runs on one thread and goes through the WAL, which the checkpoint then reads and
  // compresses again; a plain INSERT is parallel and written straight to the file. At 1M contacts
  // that took the commits from 43–46 to 26–31 CPU-s (BENCHMARKS.md, issue #15). So the ids the table
  // has go through the conflict path first (before the new ones are there to be seen), the others
  // by a plain INSERT. Small packages keep the one statement: the two semi-joins scan every id of
  // the table (about 40–80 ms more per commit into 1M rows).
  const known = `EXISTS (SELECT 1 FROM ${target} x WHERE x._tide_id = s._tide_id)`;
  const updated = await connection.run(upsertSql(`WHERE ${known}`), params);
  const inserted = await connection.run(
    `INSERT INTO ${target} (${insertColumns.join(', ')})
     SELECT ${selectList.join(', ')} FROM ${STAGING} s
     WHERE NOT ${known}`,
    params,
  );
  return updated.rowsChanged + inserted.rowsChanged;
}

/**
 * Leaves one staged row per id: its newest version (latest `_tide_updated_at`, then latest arrival).
 * The ranking reads three narrow columns and deletes by `_tide_seq`. A window over whole staged rows
 * (what this replaces: `QUALIFY row_number() …` in the upsert) held every wide row at once and ran
 * a package of 50,000 wide records out of the 256MB load limit whenever one id came twice — a commit
 * that failed the same way on every rerun. Inside the commit's transaction: a rollback restores them.
 */
async function dropOlderVersions(connection: DuckDBConnection): Promise<void> {
  await connection.run(
    `DELETE FROM ${STAGING} WHERE _tide_seq IN (
       SELECT _tide_seq FROM (
         SELECT _tide_seq,
                row_number() OVER (PARTITION BY _tide_id ORDER BY _tide_updated_at DESC, _tide_seq DESC) AS newest
         FROM ${STAGING}
       ) WHERE newest > 1
     )`,
  );
}

/** Whether any id was staged more than once (checked on the id column alone). */
async function stagedTwice(connection: DuckDBConnection): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    `SELECT count(*) <> count(DISTINCT _tide_id) FROM ${STAGING}`,
  );
  return reader.getRows()[0]?.[0] === true;
}
