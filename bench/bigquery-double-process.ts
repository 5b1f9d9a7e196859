import { BigqueryDouble } from '../test/bigquery/bigquery-double.js';
import { PROJECT, TOKEN } from '../test/bigquery/bigquery-test-client.js';

/**
 * The BigQuery double in its own process for bench/bigquery-load.bench.ts, so the benchmark's RSS is
 * Tide's alone. Prints its base URL, answers until stdin closes, then prints upload totals and the
 * query jobs per purpose (`tide` label) as JSON. It remembers the column map the evolve jobs send,
 * so — as on BigQuery — only a package that brings new columns pays for an evolve job.
 */
const double = await BigqueryDouble.start({
  projectId: PROJECT,
  location: 'EU',
  token: TOKEN,
  retainLoads: false,
});
/** One `tide.columns` row (field_name, column_name, logical_type), as the evolve job's @columns sends it. */
type MappedRow = Readonly<Record<string, unknown>>;
const columns = new Map<string, MappedRow[]>();
double.hooks.answer = (job) => {
  const params = (job.params ?? {}) as Record<string, unknown>;
  const table = String(params.table_name);
  switch (job.labels.tide) {
    case 'commit':
      return {
        fields: [{ name: 'rows_written', type: 'INTEGER' }],
        rows: [{ rows_written: params.rows_staged }],
      };
    case 'evolve':
      columns.set(table, [...(columns.get(table) ?? []), ...((params.columns ?? []) as MappedRow[])]);
      return {};
    case 'columns':
      return {
        fields: [
          { name: 'field_name', type: 'STRING' },
          { name: 'column_name', type: 'STRING' },
          { name: 'logical_type', type: 'STRING' },
        ],
        rows: columns.get(table) ?? [],
      };
    default:
      return {};
  }
};
process.stdout.write(`${double.baseUrl}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  const byPurpose: Record<string, number> = {};
  for (const job of double.queryJobs) {
    const purpose = job.labels.tide ?? '?';
    byPurpose[purpose] = (byPurpose[purpose] ?? 0) + 1;
  }
  process.stdout.write(
    `${JSON.stringify({ ...double.uploaded, jobs: double.queryJobs.length, byPurpose })}\n`,
  );
  await double.close();
  process.exit(0);
});
