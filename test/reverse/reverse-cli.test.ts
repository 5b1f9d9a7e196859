import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import {
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../simulators/hubspot/start-hubspot-simulator.js';
import { tide, writeConfig } from '../cli/cli-helpers.js';
import { createTable, rowsOf } from './warehouse-fixture.js';

interface Contact {
  readonly id: string;
  readonly archived?: boolean;
  readonly properties: Readonly<Record<string, string | null>>;
}

const TOKEN_ENV = 'TIDE_TEST_REVERSE_HS_TOKEN';
let sim: StartedHubspotSimulator;
let contacts: Contact[];

beforeAll(async () => {
  sim = await startHubspotSimulator({ seed: 21, scale: 2600, mutationsPerStart: 0, burstLimit: 0 });
  contacts = ((await sim.control.truth('contacts')) as Contact[]).filter(
    (c) => !c.archived && c.properties.email,
  );
  process.env[TOKEN_ENV] = sim.token;
});
afterAll(async () => {
  await sim.close();
  delete process.env[TOKEN_ENV];
});

/** A project folder: a DuckDB file with analytics.customer_scores for n contacts, and a config. */
async function project(
  n: number,
  sync: Record<string, unknown>,
  score: (i: number) => number = (i) => i % 100,
): Promise<{ file: string; dir: string; db: string }> {
  const { file, dir } = writeConfig((d) => ({
    sources: [
      { kind: 'hubspot', name: 'hubspot', baseUrl: sim.baseUrl, tokenEnv: TOKEN_ENV, streams: ['contacts'] },
    ],
    warehouse: { kind: 'duckdb', path: join(d, 'tide.duckdb') },
    syncs: [
      {
        name: 'scores',
        from: 'analytics.customer_scores',
        to: { crm: 'hubspot', object: 'contacts' },
        match: { by: 'id', column: 'hubspot_id' },
        fields: { score: 'tide_score' },
        ...sync,
      },
    ],
  }));
  // bin/tide.mjs loads the config through tsx, which needs an ESM package around it.
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  const db = join(dir, 'tide.duckdb');
  await scoreTable(db, n, score);
  return { file, dir, db };
}

/** (Re)writes analytics.customer_scores for the first n contacts. */
async function scoreTable(db: string, n: number, score: (i: number) => number): Promise<void> {
  const warehouse = await openDuckdbWarehouse({ path: db });
  try {
    await warehouse.init();
    await createTable(
      warehouse,
      'analytics.customer_scores',
      contacts.slice(0, n).map((c, i) => ({ hubspot_id: c.id, score: score(i) })),
      { hubspot_id: 'VARCHAR', score: 'DOUBLE' },
    );
  } finally {
    await warehouse.close();
  }
}

async function pushedCount(db: string): Promise<number> {
  const warehouse = await openDuckdbWarehouse({ path: db });
  try {
    const [row] = await rowsOf(
      warehouse,
      'SELECT count(*) AS n FROM tide.pushed WHERE value_hash IS NOT NULL',
    );
    return Number(row?.n);
  } finally {
    await warehouse.close();
  }
}

const UPDATE = 'POST /crm/v3/objects/contacts/batch/update';

describe('tide reverse and tide doctor (the real CLI against a HubSpot simulator)', () => {
  it('doctor names the sync and each unusable field, and exits non-zero', async () => {
    const { file } = await project(5, { fields: { score: 'tide_scor', hubspot_id: 'hs_object_id' } });
    const run = await tide('doctor', '--config', file);
    expect(run.code).toBe(ExitCode.failure);
    expect(run.stdout).toContain('source hubspot');
    expect(run.stdout).toContain(
      'field "tide_scor" (from column score) does not exist (did you mean tide_score?)',
    );
    expect(run.stdout).toContain('field "hs_object_id" is not writable');
    const ok = await tide('doctor', '--config', (await project(5, {})).file);
    expect(ok.code).toBe(ExitCode.ok);
    expect(ok.stdout).toMatch(/sync scores\s+ok\s+1 field\(s\) writable on HubSpot contacts/);
  });

  it('--dry-run prints counts and field-level diffs and writes nothing; then a push, then nothing to do', async () => {
    const { file } = await project(150, {});
    await sim.control.resetStats();
    const dry = await tide('reverse', '--dry-run', '--config', file);
    expect(dry.code).toBe(ExitCode.ok);
    expect(dry.stdout).toMatch(/scores\s+hubspot\.contacts\s+150\s+0\s+150\s+-\s+-\s+0\s+0\s+~2\s+dry-run/);
    const sample = /scores: (\d+): tide_score: ∅ → (\d+)/.exec(dry.stdout);
    const index = contacts.findIndex((c) => c.id === sample?.[1]);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(Number(sample?.[2])).toBe(index % 100);
    expect(dry.stdout).toContain('dry run: nothing was written');
    expect((await sim.control.stats()).writes).toBe(0);

    // `calls` is every request the sync made to the CRM (the field check's reads too), as the CRM counted them.
    await sim.control.resetStats();
    const push = await tide('reverse', '--config', file);
    expect(push.code).toBe(ExitCode.ok);
    const pushed = await sim.control.stats();
    expect(pushed.byEndpoint[UPDATE]).toBe(2);
    expect(pushed.total).toBeGreaterThan(2);
    expect(push.stdout).toMatch(
      new RegExp(
        `scores\\s+hubspot\\.contacts\\s+150\\s+0\\s+150\\s+150\\s+0\\s+0\\s+0\\s+${pushed.total}\\s+ok`,
      ),
    );

    await sim.control.resetStats();
    const again = await tide('reverse', '--config', file);
    const unchanged = await sim.control.stats();
    expect(unchanged.byEndpoint[UPDATE]).toBeUndefined();
    expect(again.stdout).toMatch(
      new RegExp(
        `scores\\s+hubspot\\.contacts\\s+150\\s+150\\s+0\\s+0\\s+0\\s+0\\s+0\\s+${unchanged.total}\\s+ok`,
      ),
    );
  });

  it("a person's edit after a push: dry run and push list the conflict, report holds it, doctor shows the rule", async () => {
    const { file, db } = await project(3, {}, (i) => 60 + i);
    expect((await tide('reverse', '--config', file)).code).toBe(ExitCode.ok);
    const id = contacts[0]!.id;
    await sim.control.mutate({ object: 'contacts', ids: [id], setProperties: { tide_score: '77' } });
    await scoreTable(db, 3, (i) => 70 + i);
    const line = `scores: conflict ${id} tide_score: CRM has "77", Tide last pushed 60, now 70`;

    await sim.control.resetStats();
    const dry = await tide('reverse', '--dry-run', '--config', file);
    expect(dry.code).toBe(ExitCode.ok);
    expect(dry.stdout).toMatch(
      /scores\s+hubspot\.contacts\s+3\s+0\s+3\s+-\s+-\s+0\s+1 \(1 report\)\s+~1\s+dry-run/,
    );
    expect(dry.stdout).toContain(`${line}: not pushed (report)`);
    expect((await sim.control.stats()).writes).toBe(0);

    const push = await tide('reverse', '--config', file);
    expect(push.code).toBe(ExitCode.ok);
    expect(push.stdout).toMatch(/scores\s+hubspot\.contacts\s+3\s+0\s+3\s+2\s+0\s+0\s+1 \(1 report\)/);
    expect(push.stdout).toContain(`${line}: not pushed (report)`);
    const truth = (await sim.control.truth('contacts')) as Contact[];
    expect(truth.find((c) => c.id === id)?.properties.tide_score).toBe('77');

    const doctor = await tide('doctor', '--config', file);
    expect(doctor.stdout).toContain('mode update; on conflict: report');
  });

  it('--sync names an unknown sync with the configured ones, before any request', async () => {
    const { file } = await project(5, {});
    await sim.control.resetStats();
    const run = await tide('reverse', '--sync', 'nope', '--config', file);
    expect(run.code).toBe(ExitCode.invalidConfig);
    expect(run.stderr).toContain('no sync named "nope"');
    expect(run.stderr).toContain('configured syncs: scores');
    expect((await sim.control.stats()).total).toBe(0);
  });

  it('exits non-zero when rejections exceed the sync’s maxRejectRate', async () => {
    const { file } = await project(40, { maxRejectRate: 0.1, name: 'strict' }, (i) =>
      i < 5 ? Number.NaN : i,
    );
    const run = await tide('reverse', '--config', file);
    expect(run.code).toBe(ExitCode.failure);
    expect(run.stdout).toContain('reject rate 12.5%');
    expect(run.stdout).toContain('tide_score: NaN is not a finite number');
  });

  it('killed with SIGKILL mid-push and run again: confirmed records are not resent, none is lost', async () => {
    const { file, db } = await project(2000, { concurrency: 1 }, (i) => (i * 13) % 100);
    await sim.control.resetStats();
    await sim.control.faults({ latencyMs: 120, pathContains: '/batch/update' });
    const child = spawn(
      process.execPath,
      [join(process.cwd(), 'bin/tide.mjs'), 'reverse', '--config', file],
      {
        env: { ...process.env, [TOKEN_ENV]: sim.token },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const deadline = Date.now() + 30_000;
    while (((await sim.control.stats()).byEndpointStatus[`${UPDATE} 200`] ?? 0) < 5) {
      if (Date.now() > deadline) throw new Error('the child never reached five batches');
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    await exited;
    // The killed child's last call may still be inside the simulator (120 ms of latency): once it is
    // answered its 200 must not land after the reset below and be counted as one of the rerun's.
    let before = '';
    for (let now = JSON.stringify(await sim.control.stats()); now !== before; ) {
      before = now;
      await new Promise((r) => setTimeout(r, 400));
      now = JSON.stringify(await sim.control.stats());
    }
    await sim.control.clearFaults();

    const confirmed = await pushedCount(db);
    expect(confirmed).toBeGreaterThanOrEqual(400);
    expect(confirmed).toBeLessThan(2000);
    await sim.control.resetStats();
    const rerun = await tide('reverse', '--config', file);
    expect(rerun.code).toBe(ExitCode.ok);
    // Calls the CRM applied (a retried 429 or 5xx on a loaded machine is a request, not a write).
    expect((await sim.control.stats()).byEndpointStatus[`${UPDATE} 200`]).toBe(
      Math.ceil((2000 - confirmed) / 100),
    );
    expect(await pushedCount(db)).toBe(2000);
    const truth = new Map(
      ((await sim.control.truth('contacts')) as Contact[]).map((c) => [c.id, c.properties]),
    );
    for (const [i, c] of contacts.slice(0, 2000).entries()) {
      expect(truth.get(c.id)?.tide_score).toBe(String((i * 13) % 100));
    }
  }, 60_000);
});
