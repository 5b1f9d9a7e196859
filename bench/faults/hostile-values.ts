import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { rawTableName } from '../../load/warehouse.js';
import type { PlantedText } from '../../simulators/kit/plant-text.js';
import type { SimulatedSource } from '../../test/faults/simulated-sources.js';
import type { FaultWorld } from './fault-world.js';
import { firstError, type ScenarioResult, since } from './scenario.js';

const MEGABYTE = 'x'.repeat(1 << 20);

/** Values other tools and people put into CRM fields, and what the warehouse must hold for each. */
const HOSTILE: readonly { readonly value: string; readonly stored: string; readonly what: string }[] = [
  { value: "'; DROP TABLE raw.x; --", stored: "'; DROP TABLE raw.x; --", what: 'SQL injection' },
  {
    value: '"); DELETE FROM tide.loads; --',
    stored: '"); DELETE FROM tide.loads; --',
    what: 'SQL injection',
  },
  {
    value: "{{ source('tide', 'loads') }}",
    stored: "{{ source('tide', 'loads') }}",
    what: 'template injection',
  },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile value, on purpose
  { value: '${process.exit(1)}', stored: '${process.exit(1)}', what: 'template literal' },
  { value: '<script>alert(1)</script>', stored: '<script>alert(1)</script>', what: 'HTML' },
  { value: MEGABYTE, stored: MEGABYTE, what: '1 MB string' },
  { value: 'x\ud800y', stored: 'x\ufffdy', what: 'lone high surrogate' },
  { value: '\udc00z', stored: '\ufffdz', what: 'lone low surrogate' },
  { value: 'a\u0000b', stored: 'a\ufffdb', what: 'NUL' },
  { value: 'ok 😀 ünïcödé', stored: 'ok 😀 ünïcödé', what: 'well-formed Unicode' },
];

/**
 * Hostile values through a CRM's simulator: planted into one text field of as many records, then an
 * incremental extract. Each must be stored as `stored` in the typed column and in `_tide_record`
 * alike, and the models must build. Then a record stamped in year 9999 (a CRM with a bad clock): the
 * cursor must not jump past now, and a change made after it must still be read.
 */
export async function hostileValues(world: FaultWorld, sim: SimulatedSource): Promise<ScenarioResult> {
  const started = Date.now();
  const { file, db } = world.config({ sims: [sim] });
  const first = await world.run('extract', '--config', file);
  if (first.code !== 0) throw new Error(`${sim.connector.kind}: first extract failed: ${firstError(first)}`);
  const planted = (await sim.control('POST', '/_sim/plant-text', {
    values: HOSTILE.map((h) => h.value),
  })) as PlantedText;
  const run = await world.run('extract', '--config', file, '--json');
  const problems: string[] = [];
  const stored = await readPlanted(db, rawTableName(sim.config.name, planted.object), planted);
  HOSTILE.forEach((h, i) => {
    const got = stored.get(planted.ids[i]!);
    if (got?.typed !== h.stored || got.recorded !== h.stored) {
      problems.push(`${h.what}: typed ${preview(got?.typed)}, _tide_record ${preview(got?.recorded)}`);
    }
  });

  // A far-future last-modified, then an ordinary change after it.
  await sim.control('POST', '/_sim/plant-text', {
    values: ['stamped in year 9999'],
    modifiedAt: '9999-12-31T23:59:59.000Z',
  });
  const future = await world.run('extract', '--config', file, '--json');
  const cursor = await readCursor(db, sim.config.name, planted.object);
  if (cursor !== null && Date.parse(cursor) > Date.now() + 86_400_000 * 366) {
    problems.push(`the cursor jumped to ${cursor}`);
  }
  const later = (await sim.control('POST', '/_sim/plant-text', { values: ['changed after'] })) as PlantedText;
  const after = await world.run('extract', '--config', file, '--json');
  const seen = await readPlanted(db, rawTableName(sim.config.name, later.object), later);
  if (seen.get(later.ids[0]!)?.typed !== 'changed after')
    problems.push('a change after the year-9999 record was missed');

  const models = await world.run('models', 'run', '--config', file);
  if (models.code !== 0) problems.push(`models failed: ${firstError(models)}`);
  const codes = [run.code, future.code, after.code, models.code];
  return {
    scenario: `hostile values (${HOSTILE.map((h) => h.what).join(', ')}; a year-9999 timestamp), then models`,
    crm: sim.connector.kind,
    runs: 1,
    passed: problems.length === 0 && codes.every((c) => c === 0) ? 1 : 0,
    lost: 0,
    duplicated: 0,
    exits: codes.join(', '),
    message:
      problems.join('; ') ||
      `stored as expected in typed column and _tide_record; cursor ${cursor}; models built`,
    seconds: since(started),
  };
}

/**
 * A new custom field appearing in the CRM (schema drift at the source): the next incremental extract
 * must add its column and fill it. Simulators that cannot add fields at runtime are reported as such.
 */
export async function sourceSchemaDrift(world: FaultWorld, sim: SimulatedSource): Promise<ScenarioResult> {
  const started = Date.now();
  const scenario = 'schema drift: a custom field (with a hostile name) appears mid-stream';
  const { file, db } = world.config({ sims: [sim] });
  const first = await world.run('extract', '--config', file);
  if (first.code !== 0) throw new Error(`${sim.connector.kind}: first extract failed: ${firstError(first)}`);
  const field = `drift "field"; DROP TABLE raw.x; --`;
  let planted: PlantedText;
  try {
    planted = (await sim.control('POST', '/_sim/plant-text', {
      values: ['v1', 'v2', 'v3'],
      field,
    })) as PlantedText;
  } catch (error) {
    return {
      scenario,
      crm: sim.connector.kind,
      runs: 0,
      passed: 0,
      lost: 0,
      duplicated: 0,
      exits: '-',
      message: '',
      seconds: since(started),
      uncovered: `the simulator cannot add fields at runtime (${String(error).slice(0, 120)})`,
    };
  }
  const run = await world.run('extract', '--config', file, '--json');
  const stored = await readPlanted(db, rawTableName(sim.config.name, planted.object), planted);
  const ok = run.code === 0 && planted.ids.every((id, i) => stored.get(id)?.typed === `v${i + 1}`);
  return {
    scenario,
    crm: sim.connector.kind,
    runs: 1,
    passed: ok ? 1 : 0,
    lost: 0,
    duplicated: 0,
    exits: String(run.code),
    message: ok
      ? `new column for ${JSON.stringify(planted.field)} added and filled`
      : `${firstError(run)} ${JSON.stringify([...stored])}`,
    seconds: since(started),
  };
}

/** The planted field's value per id: from its typed column (via tide.columns) and from _tide_record. */
async function readPlanted(
  db: string,
  table: string,
  planted: PlantedText,
): Promise<Map<string, { typed: unknown; recorded: unknown }>> {
  const warehouse = await openDuckdbWarehouse({ path: db });
  try {
    const rows = async (sql: string, params: unknown[] = []) => {
      const out: Record<string, unknown>[] = [];
      for await (const row of warehouse.query(sql, params)) out.push({ ...row });
      return out;
    };
    const [mapped] = await rows(
      'SELECT column_name FROM tide.columns WHERE table_name = ? AND field_name = ?',
      [table, planted.field],
    );
    if (mapped === undefined) return new Map();
    const column = `"${String(mapped.column_name).replaceAll('"', '""')}"`;
    const found = await rows(
      `SELECT _tide_id AS id, ${column} AS typed, json_extract_string(_tide_record, ?) AS recorded FROM raw."${table}"
       WHERE _tide_id IN (SELECT unnest(?::VARCHAR[]))`,
      [`$."${planted.field.replaceAll('"', '\\"')}"`, planted.ids],
    );
    return new Map(found.map((r) => [String(r.id), { typed: r.typed, recorded: r.recorded }]));
  } finally {
    await warehouse.close();
  }
}

async function readCursor(db: string, source: string, stream: string): Promise<string | null> {
  const warehouse = await openDuckdbWarehouse({ path: db });
  try {
    return (await warehouse.readCursor(source, stream))?.value ?? null;
  } finally {
    await warehouse.close();
  }
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}…(${text.length})` : text);
}
