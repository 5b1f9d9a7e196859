import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import {
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../simulators/hubspot/start-hubspot-simulator.js';
import { tide, writeConfig } from './cli-helpers.js';

const TOKEN_ENV = 'TIDE_TEST_EDGES_HS_TOKEN';
let sim: StartedHubspotSimulator;

beforeAll(async () => {
  sim = await startHubspotSimulator({ seed: 8, scale: 60, mutationsPerStart: 0 });
  process.env[TOKEN_ENV] = sim.token;
});
afterAll(async () => {
  await sim.close();
  delete process.env[TOKEN_ENV];
});

/** A project on the HubSpot simulator as a real account, with one sync; the warehouse file is not created. */
function project(): { file: string; db: string } {
  const { file, dir } = writeConfig((d) => ({
    sources: [
      {
        kind: 'hubspot',
        name: 'hubspot',
        baseUrl: sim.baseUrl,
        tokenEnv: TOKEN_ENV,
        streams: ['contacts', 'companies'],
      },
    ],
    warehouse: { kind: 'duckdb', path: join(d, 'tide.duckdb') },
    syncs: [
      {
        name: 'scores_to_hubspot',
        from: 'analytics.customer_scores',
        to: { crm: 'hubspot', object: 'contacts' },
        match: { by: 'id', column: 'hubspot_contact_id' },
        fields: { score: 'tide_score' },
      },
    ],
  }));
  return { file, db: join(dir, 'tide.duckdb') };
}

describe('unknown names on the command line exit 2, list the valid ones, and touch nothing', () => {
  it.each([
    [['extract', '--source', 'hubspott'], '--source hubspott', 'configured sources: hubspot'],
    [
      ['extract', '--stream', 'contact'],
      '--stream contact',
      'configured streams: hubspot: contacts, companies',
    ],
    [['models', 'run', '--select', 'customer'], 'no model named "customer"', 'customers'],
    [['reverse', '--sync', 'scores'], 'no sync named "scores"', 'configured syncs: scores_to_hubspot'],
  ])('tide %j', async (args, problem, valid) => {
    const { file, db } = project();
    await sim.control.resetStats();
    const run = await tide(...args, '--config', file);
    expect(run.code).toBe(ExitCode.invalidConfig);
    expect(run.stderr).toContain(problem);
    expect(run.stderr).toContain(valid);
    expect(existsSync(db)).toBe(false);
    expect((await sim.control.stats()).total).toBe(0);
  });

  it('tide simulate --port 99999 says so in one line', async () => {
    const run = await tide('simulate', '--port', '99999', '--config', project().file);
    expect(run.code).toBe(ExitCode.invalidConfig);
    expect(run.stderr.trim().split('\n')).toEqual([
      'ERROR --port must be a port number from 0 to 65535  code=config_invalid hint=e.g. tide simulate --port 4010 (0 or none: free ports)',
    ]);
  });
});

describe('tide doctor', () => {
  it('on a fresh checkout: models not built yet is a warning (exit 0), and no warehouse file appears', async () => {
    const { file, db } = project();
    const run = await tide('doctor', '--config', file);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(
      /warehouse\s+WARN\s+.*tide\.duckdb does not exist yet: the first `tide run` creates it/,
    );
    expect(run.stdout).toMatch(/models\s+WARN\s+models not built yet, run `tide models run`/);
    expect(run.stdout).toMatch(/sync scores_to_hubspot\s+ok/);
    expect(existsSync(db)).toBe(false);
  });

  it('with a warehouse but no models: the same warning, exit 0', async () => {
    const { file, db } = project();
    const warehouse = await openDuckdbWarehouse({ path: db });
    await warehouse.init();
    await warehouse.close();
    const run = await tide('doctor', '--config', file, '--json');
    expect(run.code).toBe(ExitCode.ok);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.check === 'models')).toMatchObject({
      level: 'warn',
      status: 'warn',
      detail: 'models not built yet, run `tide models run` (or `tide run`)',
    });
    expect(lines.at(-1)).toMatchObject({
      msg: 'summary',
      status: 'success',
      exitCode: 0,
      counts: { failed: 0, warnings: 1 },
    });
  });
});

describe('a warehouse file held by another process', () => {
  /**
   * A process that opens the DuckDB file (taking its lock) and closes it when told on stdin, or after
   * `ms`. The file is a warehouse with Tide's system tables, as after a first run.
   */
  async function holdLock(db: string, ms: number): Promise<ChildProcess> {
    const warehouse = await openDuckdbWarehouse({ path: db });
    await warehouse.init();
    await warehouse.close();
    const script = `
      const { DuckDBInstance } = await import(${JSON.stringify(require.resolve('@duckdb/node-api'))});
      const instance = await DuckDBInstance.create(${JSON.stringify(db)});
      const release = () => { instance.closeSync(); process.exit(0); };
      process.stdin.once('data', release);
      console.log('locked');
      setTimeout(release, ${ms});`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    return new Promise((resolve) => child.stdout?.once('data', () => resolve(child)));
  }

  it('is refused with a clear message naming the holder, not DuckDB’s lock error', async () => {
    const { file, db } = project();
    const child = await holdLock(db, 60_000);
    try {
      const run = await tide('status', '--config', file);
      expect(run.code).toBe(ExitCode.failure);
      expect(run.stderr).toContain(
        `tide.duckdb is in use by another process (PID ${child.pid}): most likely another tide run`,
      );
      expect(run.stderr).toContain('--wait <seconds>');
      expect(run.stderr).not.toContain('Could not set lock');
    } finally {
      child.kill();
    }
  });

  it('is waited for with --wait, and the command then runs', async () => {
    const { file, db } = project();
    const child = await holdLock(db, 120_000);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const running = tide('--wait', '60', 'status', '--config', file);
      // tide() captures stderr from here on; the holder lets go once Tide says it is waiting.
      const capture = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string | Uint8Array) => {
        if (String(chunk).includes('waiting up to')) child.stdin?.write('release\n');
        return capture(chunk);
      }) as typeof process.stderr.write;
      const run = await running;
      await exited;
      expect(run.stderr).toContain('waiting up to 60s for it');
      expect(run.code, run.stderr).toBe(ExitCode.ok);
    } finally {
      child.kill();
    }
  });
});

describe('--json: every line a JSON object with ts, level, runId and stage; the last one a summary', () => {
  it('tide extract: stream lines carry source and stream as fields, and the summary its counts', async () => {
    const { file } = project();
    const run = await tide('--json', 'extract', '--config', file);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stderr).toBe('');
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const runIds = new Set(lines.map((l) => l.runId));
    expect(runIds.size).toBe(1);
    expect([...runIds][0]).toMatch(/^\d{14}-[0-9a-f]{8}$/);
    for (const line of lines) {
      expect(Object.keys(line).slice(0, 4)).toEqual(['ts', 'level', 'runId', 'stage']);
      expect(Number.isNaN(Date.parse(String(line.ts)))).toBe(false);
    }
    const done = lines.filter((l) => l.msg === 'done');
    expect(done.map((l) => [l.stage, l.source, l.stream])).toEqual(
      expect.arrayContaining([
        ['extract', 'hubspot', 'contacts'],
        ['extract', 'hubspot', 'companies'],
      ]),
    );
    expect(lines.at(-1)).toMatchObject({
      msg: 'summary',
      stage: 'extract',
      command: 'extract',
      status: 'success',
      exitCode: 0,
      counts: { recordsLoaded: expect.any(Number), apiCalls: expect.any(Number), apiErrors: 0 },
    });
    expect(lines.at(-1)?.durationMs).toEqual(expect.any(Number));
  });

  it('tide sql: a line per row, and a summary counting them', async () => {
    const { file, db } = project();
    // tide sql reads an existing warehouse (read-only); it never creates one.
    const warehouse = await openDuckdbWarehouse({ path: db });
    await warehouse.init();
    await warehouse.close();
    const run = await tide('--json', 'sql', 'select 42 as answer', '--config', file);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.msg)).toEqual(['row', 'summary']);
    expect(lines[0]).toMatchObject({ stage: 'sql', row: { answer: 42 } });
    expect(lines[1]).toMatchObject({ status: 'success', exitCode: 0, counts: { rows: 1 } });
  });

  it('tide types, docs and models compile: results as JSON lines, no plain line among them', async () => {
    const { file } = project();
    expect((await tide('--json', 'extract', '--config', file)).code).toBe(ExitCode.ok);
    const dir = dirname(file);
    const runs = [
      await tide('--json', 'types', '--out', join(dir, 'db.ts'), '--config', file),
      await tide('--json', 'docs', '--out', join(dir, 'docs'), '--config', file),
      await tide('--json', 'models', 'compile', '--select', 'stg_hubspot_contacts', '--config', file),
    ];
    for (const run of runs) {
      expect(run.code).toBe(ExitCode.ok);
      const lines = run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.at(-1)).toMatchObject({ msg: 'summary', status: 'success', exitCode: 0 });
    }
    const [types, docs, compile] = runs.map((r) =>
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    );
    expect(types?.[0]).toMatchObject({
      stage: 'types',
      file: join(dir, 'db.ts'),
      tables: expect.any(Number),
    });
    expect(docs?.[0]).toMatchObject({ stage: 'docs', index: `${join(dir, 'docs')}/index.html` });
    expect(compile?.[0]).toMatchObject({ msg: 'compiled', model: 'stg_hubspot_contacts' });
  });

  it('a config error: the error line, then the summary with exit code 2', async () => {
    const { file } = writeConfig(() => ({ sources: [{ kind: 'hubspot' }] }));
    const run = await tide('--json', 'extract', '--config', file);
    expect(run.code).toBe(ExitCode.invalidConfig);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 'error', code: 'config_invalid' });
    expect(lines.at(-1)).toMatchObject({ msg: 'summary', status: 'failed', exitCode: 2 });
  });
});
