import { rawTableName } from '../../load/warehouse.js';
import { accountWrites, reverseStream, reverseSync } from '../../test/faults/reverse-faults.js';
import type { SimulatedSource } from '../../test/faults/simulated-sources.js';
import { type FaultWorld, snapshot } from './fault-world.js';
import { firstError, groupExits, type ScenarioResult, seeded, since } from './scenario.js';

interface Stats {
  readonly writes: number;
}

/**
 * kill -9 of `tide reverse` into one CRM at `count` random points (after a random number of the
 * CRM's write requests, seeded), then the same command again, then once more. Each round changes
 * every pushed value (a new salt), so every record must reach the CRM. Checked per round: every
 * write the CRM received has an intent line in tide.push_log (none unlogged), no intent stays
 * unanswered, nothing confirmed is sent again, every record reached the CRM (none lost), and the
 * third run writes nothing.
 */
export async function reverseKills(
  world: FaultWorld,
  sim: SimulatedSource,
  count: number,
  seed: number,
  rows: number,
): Promise<ScenarioResult> {
  const random = seeded(seed);
  const started = Date.now();
  const db = world.config({ sims: [sim] });
  const extract = await world.run('extract', '--config', db.file, '--stream', reverseStream(sim));
  if (extract.code !== 0) throw new Error(`${sim.connector.kind}: extract failed: ${firstError(extract)}`);

  // A clean push first: how many write requests one round takes.
  const warm = world.config({ sims: [sim], db: db.db, syncs: [reverseSync(sim, 0, rows)] });
  await sim.control('DELETE', '/_sim/stats');
  const first = await world.run('reverse', '--config', warm.file);
  if (first.code !== 0) throw new Error(`${sim.connector.kind}: first push failed: ${firstError(first)}`);
  const requests = ((await sim.control('GET', '/_sim/stats')) as Stats).writes;

  // The sync pushes at most `rows` records: fewer when the CRM holds fewer (a small scale, or a CRM
  // holding a share of the people), and each of those must be reached.
  const table = (await snapshot(db.db)).tables.get(rawTableName(sim.config.name, reverseStream(sim)));
  const pushed = Math.min(rows, table?.distinct ?? 0);
  const exits: string[] = [];
  let passed = 0;
  let lost = 0;
  let duplicated = 0;
  let resends = 0;
  let unlogged = 0;
  const problems: string[] = [];
  for (let round = 1; round <= count; round++) {
    const sync = reverseSync(sim, round, rows);
    const { file } = world.config({ sims: [sim], db: db.db, syncs: [sync] });
    const kill = 1 + Math.floor(random() * Math.max(1, requests - 1));
    const roundStarted = new Date().toISOString();
    await sim.control('DELETE', '/_sim/stats');
    await world.faults({ latencyMs: 40 }, [sim]);
    const killed = await world.runKilled(['reverse', '--config', file], async () => {
      return ((await sim.control('GET', '/_sim/stats')) as Stats).writes >= kill;
    });
    await world.faults(null, [sim]);
    const rerun = await world.run('reverse', '--config', file);
    const accounting = await accountWrites(sim, file, String(sync.name), roundStarted);
    const reached = Object.keys((await sim.control('GET', '/_sim/writes')) as Record<string, number>).length;
    await sim.control('DELETE', '/_sim/stats');
    const third = await world.run('reverse', '--config', file);
    const idle = ((await sim.control('GET', '/_sim/stats')) as Stats).writes;
    exits.push(`${killed.killed ? 'killed' : killed.code}→${rerun.code}→${third.code}`);
    const missing = Math.max(0, pushed - reached);
    lost += missing;
    duplicated += accounting.confirmedButResent.length;
    resends += accounting.resends;
    unlogged += accounting.unlogged.length;
    const ok =
      rerun.code === 0 &&
      third.code === 0 &&
      idle === 0 &&
      missing === 0 &&
      accounting.unlogged.length === 0 &&
      accounting.openIntents === 0 &&
      accounting.confirmedButResent.length === 0;
    if (ok) passed++;
    else
      problems.push(
        `round ${round} (kill after ${kill} writes): ${JSON.stringify({ ...accounting, missing, idle })}`,
      );
  }
  return {
    scenario: `kill -9 during reverse (${count} random points, ${rows} records each), rerun, run again`,
    crm: sim.connector.kind,
    runs: count,
    passed,
    lost,
    duplicated,
    exits: groupExits(exits),
    message:
      problems[0] ??
      `${unlogged} unlogged writes; ${resends} resends of unanswered writes, each logged as such; third runs wrote nothing (a clean round: ${requests} write requests)`,
    seconds: since(started),
  };
}
