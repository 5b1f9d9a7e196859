import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelsConfigFrom } from '../config/models-defaults.js';
import { openDuckdbWarehouse } from '../load/duckdb/duckdb-warehouse.js';
import { formatFigures, overallFigures, ruleFigures } from '../test/labelled/identity-metrics.js';
import { generateRawData, RECORDS_PER_PERSON } from '../test/labelled/raw-data.js';
import { BUNDLED_MODELS_DIR, loadProject } from '../transform/project/load-project.js';
import { runModels } from '../transform/run/run-models.js';

/**
 * Identity resolution measured on the labelled population (test/labelled/labelled-people.ts): pairwise
 * precision and recall overall and per rule, with near-name matching off (the default) and on.
 * Targets (issue #19), near names off: precision ≥ 0.999, recall ≥ 0.99.
 * `npm run bench -- identity` · TIDE_BENCH_CONTACTS (default 1,000,000, the models bench's data).
 */
const contactsTarget = Number(process.env.TIDE_BENCH_CONTACTS ?? 1_000_000);
const people = Math.round(contactsTarget / RECORDS_PER_PERSON);
const dir = mkdtempSync(join(tmpdir(), 'tide-identity-quality-'));
const warehouse = await openDuckdbWarehouse({ path: join(dir, 'quality.duckdb') });
const log = { info: () => {}, warn: () => {}, error: (m: string) => console.error(m), debug: () => {} };
try {
  await warehouse.init();
  const project = loadProject(BUNDLED_MODELS_DIR);
  const contacts = await generateRawData(warehouse, { people }, project.declarations);
  console.log(
    `${contacts.toLocaleString('en-US')} contacts/leads/persons of ${people.toLocaleString('en-US')} people`,
  );
  const sources = [
    { name: 'hubspot', kind: 'hubspot' },
    { name: 'salesforce', kind: 'salesforce' },
    { name: 'pipedrive', kind: 'pipedrive' },
  ];
  const targets = { precision: 0.999, recall: 0.99 };
  let failed = false;
  for (const nearNames of [false, true]) {
    const run = await runModels({
      warehouse,
      project,
      config: modelsConfigFrom({ identity: { nearNames } }),
      sources,
      log,
      runId: `quality-${nearNames}`,
    });
    if (run.status !== 'ok') throw new Error(run.results.find((r) => r.error)?.error?.message);
    const overall = await overallFigures(warehouse);
    const rules = await ruleFigures(warehouse);
    console.log(`\n${formatFigures(`near names ${nearNames ? 'on' : 'off'}`, overall, rules)}`);
    if (!nearNames && (overall.precision < targets.precision || overall.recall < targets.recall)) {
      console.log(`  below target (precision ≥ ${targets.precision}, recall ≥ ${targets.recall})`);
      failed = true;
    }
  }
  console.log(
    `\nload average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (2 cores)`,
  );
  process.exitCode = failed ? 1 : 0;
} finally {
  await warehouse.close();
  rmSync(dir, { recursive: true, force: true });
}
