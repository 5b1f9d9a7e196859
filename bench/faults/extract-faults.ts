import { rawTableName } from '../../load/warehouse.js';
import type { SimulatedSource } from '../../test/faults/simulated-sources.js';
import { compare, type FaultWorld, isClean, snapshot, type WarehouseSnapshot } from './fault-world.js';
import { firstError, groupExits, type ScenarioResult, seeded, since } from './scenario.js';

/** The clean run every extract scenario is compared with: one uninterrupted extract of every source. */
export interface CleanRun {
  readonly snapshot: WarehouseSnapshot;
  /** How long the extract took as a child process (tsx start included): the span kills land in. */
  readonly childMs: number;
}

export async function cleanRun(world: FaultWorld): Promise<CleanRun> {
  const { file, db } = world.config();
  const started = Date.now();
  const run = await world.runKilled(['extract', '--config', file], async () => false);
  if (run.code !== 0) throw new Error(`the clean extract failed (exit ${run.code})`);
  return { snapshot: await snapshot(db), childMs: Date.now() - started };
}

function tablesOf(sims: readonly SimulatedSource[]): (table: string) => boolean {
  const prefixes = sims.map((s) => `${rawTableName(s.config.name, 'x').slice(0, -1)}`);
  return (table) => prefixes.some((p) => table.startsWith(p));
}

/**
 * kill -9 at `count` random points of an extract of every source (uniform over the clean run's
 * duration, seeded), then the same command again: the warehouse must equal the clean run's.
 */
export async function extractKills(
  world: FaultWorld,
  clean: CleanRun,
  count: number,
  seed: number,
): Promise<ScenarioResult> {
  const random = seeded(seed);
  const started = Date.now();
  const exits: string[] = [];
  let passed = 0;
  let lost = 0;
  let duplicated = 0;
  const problems: string[] = [];
  for (let i = 0; i < count; i++) {
    const { file, db } = world.config();
    const at = Math.round(clean.childMs * (0.05 + 0.9 * random()));
    const t0 = Date.now();
    const killed = await world.runKilled(['extract', '--config', file], async () => Date.now() - t0 >= at);
    const rerun = await world.run('extract', '--config', file, '--json');
    exits.push(`${killed.killed ? 'killed' : killed.code}→${rerun.code}`);
    const diff = compare(clean.snapshot, await snapshot(db));
    lost += diff.lost;
    duplicated += diff.duplicated;
    if (rerun.code === 0 && isClean(diff)) passed++;
    else problems.push(`kill at ${at} ms: ${JSON.stringify(diff)} ${firstError(rerun)}`);
  }
  return {
    scenario: `kill -9 during extract (${count} random points), then rerun`,
    crm: 'all',
    runs: count,
    passed,
    lost,
    duplicated,
    exits: groupExits(exits),
    message:
      problems[0] ??
      'every rerun left rows, distinct ids, content hash per table and cursors equal to the clean run',
    seconds: since(started),
  };
}

/**
 * One fault plan on the given simulators during an extract (in this process), then the faults cleared
 * and the same extract again: the first exit code must be one of `allowed`, nothing may be lost.
 */
export async function faultedExtract(
  world: FaultWorld,
  clean: CleanRun,
  options: {
    readonly scenario: string;
    readonly plan: Record<string, unknown>;
    readonly sims?: readonly SimulatedSource[];
    readonly allowed: readonly number[];
    readonly extra?: Record<string, unknown>;
  },
): Promise<ScenarioResult> {
  const sims = options.sims ?? world.sims;
  const started = Date.now();
  const { file, db } = world.config({ sims, ...(options.extra ? { extra: options.extra } : {}) });
  await world.faults(options.plan, sims);
  let first: Awaited<ReturnType<FaultWorld['run']>>;
  try {
    first = await world.run('extract', '--config', file, '--json');
  } finally {
    await world.faults(null, sims);
  }
  const seconds = since(started);
  const { file: again } = world.config({ sims, db });
  const rerun = await world.run('extract', '--config', again, '--json');
  const diff = compare(clean.snapshot, await snapshot(db), tablesOf(sims));
  const ok = options.allowed.includes(first.code) && rerun.code === 0 && isClean(diff);
  return {
    scenario: options.scenario,
    crm:
      sims.length === world.sims.length && sims.length > 1
        ? 'all'
        : sims.map((s) => s.connector.kind).join(', '),
    runs: 1,
    passed: ok ? 1 : 0,
    lost: diff.lost,
    duplicated: diff.duplicated,
    exits: `${first.code}→${rerun.code}`,
    message: ok
      ? firstError(first) || 'finished as if nothing happened'
      : `${firstError(first)} ${JSON.stringify(diff)}`.trim(),
    seconds,
  };
}

/**
 * The calls Tide makes at steady state, and the 429s it draws by itself (no fault injected): the
 * simulators enforce the vendors' limits (HubSpot: 190 per 10 s, search 5 per second; Pipedrive: the
 * 2-second window). An incremental run after `changes` planted changes.
 */
export async function steadyStateLimits(
  world: FaultWorld,
  sim: SimulatedSource,
  changes: number,
): Promise<ScenarioResult> {
  const started = Date.now();
  const { file, db } = world.config({ sims: [sim] });
  const first = await world.run('extract', '--config', file);
  if (first.code !== 0) throw new Error(`${sim.connector.kind}: first extract failed: ${firstError(first)}`);
  // No more changes than the CRM holds live contacts (a small scale, or a CRM holding a share of the
  // people; deleted ones cannot be changed: counting them asked HubSpot for 554 of its 553).
  const live = (await snapshot(db)).tables.get(rawTableName(sim.config.name, sim.firstStream))?.live ?? 0;
  const planted = Math.max(1, Math.min(changes, live));
  await sim.control('POST', '/_sim/plant-text', {
    values: Array.from({ length: planted }, (_, i) => `steady ${i}`),
  });
  await sim.control('DELETE', '/_sim/stats');
  const run = await world.run('extract', '--config', file, '--json');
  const stats = (await sim.control('GET', '/_sim/stats')) as {
    total: number;
    byStatus: Record<string, number>;
  };
  const limited = stats.byStatus['429'] ?? 0;
  return {
    scenario: `steady incremental run (${planted} changes): 429s drawn without any fault`,
    crm: sim.connector.kind,
    runs: 1,
    passed: run.code === 0 && limited <= Math.floor(stats.total / 100) ? 1 : 0,
    lost: 0,
    duplicated: 0,
    exits: String(run.code),
    message: `${limited} of ${stats.total} calls answered 429`,
    seconds: since(started),
  };
}

/**
 * A raw table changed behind Tide's back between runs (dropped, a column dropped, a column retyped):
 * the next extract heals it; the warehouse must then equal the clean run's.
 */
export async function rawTableDrift(
  world: FaultWorld,
  clean: CleanRun,
  sim: SimulatedSource,
): Promise<ScenarioResult> {
  const started = Date.now();
  const { file, db } = world.config({ sims: [sim] });
  const first = await world.run('extract', '--config', file);
  if (first.code !== 0) throw new Error(`${sim.connector.kind}: first extract failed: ${firstError(first)}`);
  const table = `raw.${rawTableName(sim.config.name, sim.firstStream)}`;
  const changes = [
    `DROP TABLE ${table}`,
    `ALTER TABLE ${table} DROP COLUMN _tide_record`,
    `ALTER TABLE ${table} ALTER COLUMN _tide_deleted TYPE VARCHAR`,
  ];
  const exits: string[] = [];
  let passed = 0;
  let lost = 0;
  let message = '';
  for (const change of changes) {
    const sql = await world.run('sql', '--config', file, '--write', change);
    const rerun = await world.run('extract', '--config', file, '--json');
    const diff = compare(clean.snapshot, await snapshot(db), tablesOf([sim]));
    exits.push(`${sql.code}→${rerun.code}`);
    lost += diff.lost;
    if (rerun.code === 0 && isClean(diff)) passed++;
    else message ||= `${change}: ${JSON.stringify(diff)} ${firstError(rerun)}`;
    message ||=
      (rerun.stdout + rerun.stderr).match(/"msg":"([^"]*reading the stream again in full)"/)?.[1] ?? '';
  }
  return {
    scenario: 'raw table dropped / column dropped / column retyped outside Tide, then extract',
    crm: sim.connector.kind,
    runs: changes.length,
    passed,
    lost,
    duplicated: 0,
    exits: groupExits(exits),
    message,
    seconds: since(started),
  };
}
