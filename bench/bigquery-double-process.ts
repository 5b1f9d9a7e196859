import { BigqueryDouble } from '../test/bigquery/bigquery-double.js';
import { PROJECT, TOKEN } from '../test/bigquery/bigquery-test-client.js';

/**
 * The BigQuery double in its own process for bench/bigquery-load.bench.ts, so the benchmark's RSS is
 * Tide's alone. Prints its base URL, answers until stdin closes, then prints upload totals as JSON.
 */
const double = await BigqueryDouble.start({
  projectId: PROJECT,
  location: 'EU',
  token: TOKEN,
  retainLoads: false,
});
double.hooks.answer = (job) => {
  const params = (job.params ?? {}) as Record<string, unknown>;
  if (job.labels.tide === 'commit') {
    return {
      fields: [{ name: 'rows_written', type: 'INTEGER' }],
      rows: [{ rows_written: params.rows_staged }],
    };
  }
  if (job.labels.tide === 'columns') return { fields: [], rows: [] };
  return {};
};
process.stdout.write(`${double.baseUrl}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  process.stdout.write(`${JSON.stringify({ ...double.uploaded, jobs: double.queryJobs.length })}\n`);
  await double.close();
  process.exit(0);
});
