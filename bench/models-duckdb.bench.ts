import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelsConfigFrom } from '../config/models-defaults.js';
import { openDuckdbWarehouse } from '../load/duckdb/duckdb-warehouse.js';
import { rawTableName } from '../load/warehouse.js';
import { generateRawData, RECORDS_PER_PERSON } from '../test/labelled/raw-data.js';
import { runDataTests } from '../transform/data-tests/run-data-tests.js';
import { BUNDLED_MODELS_DIR, loadProject } from '../transform/project/load-project.js';
import { runModels } from '../transform/run/run-models.js';

/**
 * Every shipped model on ~1M contact-like records spread over HubSpot, Salesforce and Pipedrive, in a
 * DuckDB file. Target (issue #5): the first full build in at most 15 s on the 2-core CI machine.
 * `npm run bench -- models` · TIDE_BENCH_CONTACTS=200000 for a quicker run.
 */
const contactsTarget = Number(process.env.TIDE_BENCH_CONTACTS ?? 1_000_000);
const people = Math.round(contactsTarget / RECORDS_PER_PERSON);
const dir = mkdtempSync(join(tmpdir(), 'tide-models-bench-'));
const warehouse = await openDuckdbWarehouse({ path: join(dir, 'bench.duckdb') });
const log = { info: () => {}, warn: () => {}, error: (m: string) => console.error(m), debug: () => {} };
try {
  await warehouse.init();
  const g0 = performance.now();
  const project = loadProject(BUNDLED_MODELS_DIR);
  const contacts = await generateRawData(warehouse, { people }, project.declarations);
  // The raw tables on disk first, as a finished load leaves them: otherwise the rest of the WAL is
  // written by the models run's checkpoint and counted as model time.
  await warehouse.execute('CHECKPOINT');
  console.log(
    `generated ${contacts.toLocaleString()} contacts/leads/persons in ${((performance.now() - g0) / 1000).toFixed(1)}s`,
  );

  const options = {
    warehouse,
    project,
    config: modelsConfigFrom({}),
    sources: [
      { name: 'hubspot', kind: 'hubspot' },
      { name: 'salesforce', kind: 'salesforce' },
      { name: 'pipedrive', kind: 'pipedrive' },
    ],
    log,
  };
  const load = (): string =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const loadBefore = load();
  const cpu0 = process.cpuUsage();
  const first = await runModels({ ...options, runId: 'bench-1' });
  const cpu = process.cpuUsage(cpu0);
  if (first.status !== 'ok') throw new Error(first.results.find((r) => r.error)?.error?.message);
  const byTime = [...first.results].sort((a, b) => b.seconds - a.seconds);
  console.log(`all ${first.results.length} models, full build: ${first.seconds.toFixed(1)}s (target ≤ 15s)`);
  console.log(
    `  ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU-seconds; load average before ${loadBefore}, after ${load()} (2 cores)`,
  );
  console.log(`  per model: ${byTime.map((r) => `${r.name} ${r.seconds.toFixed(2)}s`).join(', ')}`);
  // What no model's time includes: run settings, the model state and the run's one checkpoint.
  const inModels = first.results.reduce((sum, r) => sum + r.seconds, 0);
  console.log(`  outside the models (final checkpoint, settings): ${(first.seconds - inModels).toFixed(1)}s`);
  let customers = 0;
  for await (const row of warehouse.query('SELECT COUNT(*) AS n FROM analytics.customers'))
    customers = Number(row['n']);
  const rounds = first.results.find((r) => r.name === 'int_identity_clusters')?.iterations;
  console.log(`  ${customers.toLocaleString()} customers; identity clusters stable after ${rounds} rounds`);

  // Again with nothing loaded: every model's inputs are those of its last build (models.skipUnchanged).
  const again = async (runId: string, skipUnchanged: boolean, what: string): Promise<void> => {
    const c0 = process.cpuUsage();
    const run = await runModels({ ...options, config: modelsConfigFrom({ skipUnchanged }), runId });
    const c = process.cpuUsage(c0);
    if (run.status !== 'ok') throw new Error(run.results.find((r) => r.error)?.error?.message);
    const built = run.results.filter((r) => r.mode !== 'unchanged');
    console.log(
      `${what}: ${run.seconds.toFixed(2)}s, ${((c.user + c.system) / 1e6).toFixed(1)} CPU-seconds; ${built.length} of ${run.results.length} models built; load average ${load()}`,
    );
    const slowest = [...built].sort((a, b) => b.seconds - a.seconds).slice(0, 6);
    if (slowest.length > 0)
      console.log(
        `  slowest: ${slowest.map((r) => `${r.name} ${r.seconds.toFixed(2)}s (${r.mode})`).join(', ')}`,
      );
  };
  // The data tests `tide models run` runs after the build (what a rerun costs besides the models).
  const dataTests = async (runId: string, reusePasses: boolean, what: string): Promise<void> => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const tests = await runDataTests({ ...options, runId, reusePasses });
    const c = process.cpuUsage(c0);
    const reused = tests.results.filter((r) => r.reused === true).length;
    console.log(
      `${what}: ${tests.results.length} (${reused} passes reused) in ${((performance.now() - t0) / 1000).toFixed(2)}s, ${((c.user + c.system) / 1e6).toFixed(1)} CPU-seconds (${tests.status})`,
    );
  };
  await dataTests('bench-tests-1', true, 'data tests after the full build');
  await again('bench-2', true, 'all models again, nothing changed (unchanged models skipped, the default)');
  await dataTests(
    'bench-tests-2',
    true,
    'data tests again, nothing changed (passes reused, as tide models run does)',
  );
  await again(
    'bench-3',
    false,
    'all models again, nothing changed, skipUnchanged: false (staging incremental)',
  );
  // A nightly load that touched 1 % of the HubSpot contacts: a load commit stamps the rows it writes.
  await warehouse.execute(
    `UPDATE raw.${rawTableName('hubspot', 'contacts')} SET _tide_loaded_at = now() WHERE hash(_tide_id) % 100 = 0`,
  );
  await again('bench-4', true, 'after 1 % of the HubSpot contacts were loaded again');
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await warehouse.close();
  rmSync(dir, { recursive: true, force: true });
}
