import type { CursorState } from '../../core/cursor-state.js';
import { type MergeColumns, mergeSql } from './bigquery-merge-sql.js';
import type { BigqueryNames } from './bigquery-names.js';
import type { BigqueryStatement } from './bigquery-statement.js';

export interface CommitPlan extends MergeColumns {
  readonly table: string;
  /** The load's staging table, or null when the package staged no rows. */
  readonly staging: string | null;
  readonly replace: boolean;
  /** The table of ids the source listed as live (LoadPackage.appendLiveIds); null when none were. */
  readonly liveIds: string | null;
  readonly loadId: string;
  readonly runId: string;
  readonly source: string;
  readonly stream: string;
  readonly startedAt: string;
  readonly rowsStaged: number;
  readonly cursor: CursorState | null;
  /** CommitMarks.deletesCheckedAt, validated; null when the read did not check deletes. */
  readonly deletesCheckedAt: Date | null;
}

/**
 * The commit, as ONE multi-statement transaction: staging → raw (newest version of each record
 * wins; an existing row is replaced only by a version at least as new, so repeating a package
 * changes nothing), full-refresh (or live-id listing) deletes, the cursor row, and the completion row last (with the time
 * deletes were checked up to, so it never runs ahead of the data). The script
 * ends by selecting the rows the MERGE wrote. The load jobs that filled staging cannot join a
 * transaction; staging is invisible until this runs, which is why a crash anywhere before it is
 * repaired by simply rerunning the package.
 */
export function commitSql(names: BigqueryNames, plan: CommitPlan): BigqueryStatement {
  const target = names.table('raw', plan.table);
  const statements = [
    'DECLARE _tide_now TIMESTAMP DEFAULT CURRENT_TIMESTAMP()',
    'DECLARE _tide_written INT64 DEFAULT 0',
    'BEGIN TRANSACTION',
  ];
  if (plan.staging !== null) {
    statements.push(mergeSql(names, target, plan.staging, plan), 'SET _tide_written = @@row_count');
  }
  if (plan.replace || plan.liveIds !== null) {
    const staged =
      plan.staging === null
        ? ''
        : `\n  AND NOT EXISTS (SELECT 1 FROM ${names.table('tide', plan.staging)} AS S WHERE S._tide_id = T._tide_id)`;
    const listed =
      plan.liveIds === null
        ? ''
        : `\n  AND NOT EXISTS (SELECT 1 FROM ${names.table('tide', plan.liveIds)} AS L WHERE L._tide_id = T._tide_id)`;
    const unseen = staged + listed;
    statements.push(`UPDATE ${target} AS T
SET _tide_deleted = TRUE, _tide_loaded_at = _tide_now, _tide_load_id = @load_id
WHERE NOT T._tide_deleted${unseen}`);
  }
  if (plan.cursor !== null) {
    statements.push(`INSERT INTO ${names.table('tide', 'cursors')} (load_id, source, stream, cursor_value, cursor_ids, cursor_token)
VALUES (@load_id, @source, @stream, @cursor_value, PARSE_JSON(@cursor_ids), @cursor_token)`);
  }
  // completed_at strictly increases per stream, so "the newest completed load" is never a tie.
  statements.push(
    `INSERT INTO ${names.table('tide', 'loads')}
  (load_id, run_id, source, stream, started_at, completed_at, rows_staged, rows_written, status, deletes_checked_at)
SELECT @load_id, @run_id, @source, @stream, @started_at,
  GREATEST(_tide_now, COALESCE(TIMESTAMP_ADD(MAX(completed_at), INTERVAL 1 MICROSECOND), _tide_now)),
  @rows_staged, _tide_written, 'completed', @deletes_checked_at
FROM ${names.table('tide', 'loads')}
WHERE source = @source AND stream = @stream`,
    'COMMIT TRANSACTION',
    'SELECT _tide_written AS rows_written',
  );
  return {
    sql: statements.join(';\n'),
    params: {
      load_id: plan.loadId,
      run_id: plan.runId,
      source: plan.source,
      stream: plan.stream,
      // TIMESTAMP parameters must be Dates: the SDK sends an empty value for a string.
      started_at: new Date(plan.startedAt),
      rows_staged: plan.rowsStaged,
      cursor_value: plan.cursor === null ? null : new Date(plan.cursor.value),
      cursor_ids: JSON.stringify(plan.cursor?.ids ?? []),
      cursor_token: plan.cursor?.token ?? null,
      deletes_checked_at: plan.deletesCheckedAt,
    },
    types: {
      load_id: 'STRING',
      run_id: 'STRING',
      source: 'STRING',
      stream: 'STRING',
      started_at: 'TIMESTAMP',
      rows_staged: 'INT64',
      cursor_value: 'TIMESTAMP',
      cursor_ids: 'STRING',
      cursor_token: 'STRING',
      deletes_checked_at: 'TIMESTAMP',
    },
  };
}
