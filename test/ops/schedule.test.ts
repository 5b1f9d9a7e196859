import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { Scheduler } from '../../ops/schedule/scheduler.js';
import {
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../simulators/hubspot/start-hubspot-simulator.js';
import { writeConfig } from '../cli/cli-helpers.js';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'tide.mjs');
const TOKEN_ENV = 'TIDE_TEST_SCHEDULE_HS_TOKEN';

describe('tide schedule (a real process, its runs real processes)', () => {
  let sim: StartedHubspotSimulator;
  beforeAll(async () => {
    sim = await startHubspotSimulator({ seed: 4, scale: 80, mutationsPerStart: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('runs on its cron, skips a tick while a run is still going, and stops cleanly on SIGTERM', async () => {
    const { file, dir } = writeConfig((d) => ({
      sources: [
        {
          kind: 'hubspot',
          name: 'hubspot',
          baseUrl: sim.baseUrl,
          tokenEnv: TOKEN_ENV,
          streams: ['contacts'],
        },
      ],
      warehouse: { kind: 'duckdb', path: join(d, 'tide.duckdb') },
      models: { runAfterExtract: false },
    }));
    // Each run takes longer than the one-second tick: reading this config takes 1.5 s.
    writeFileSync(
      file,
      `await new Promise((r) => setTimeout(r, 1500));\n${(await import('node:fs')).readFileSync(file, 'utf8')}`,
    );
    const scheduler = spawn(process.execPath, [BIN, '--json', 'schedule', '* * * * * *', '--config', file], {
      cwd: dir,
      env: { ...process.env, [TOKEN_ENV]: sim.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    let stderr = '';
    scheduler.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const exited = new Promise<number | null>((done) => scheduler.once('exit', (code) => done(code)));
    const seen = (test: (line: Record<string, unknown>) => boolean): Promise<void> =>
      new Promise((done, fail) => {
        const timer = setTimeout(
          () => fail(new Error(`not seen in time; lines: ${JSON.stringify(lines)}\n${stderr}`)),
          60_000,
        );
        const check = (): void => {
          if (lines.some(test)) {
            clearTimeout(timer);
            done();
          } else setTimeout(check, 50);
        };
        check();
      });
    createInterface({ input: scheduler.stdout! }).on('line', (text) => {
      try {
        lines.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        lines.push({ text });
      }
    });
    try {
      await seen((l) => l.msg === 'schedule started');
      await seen((l) => l.msg === 'skipped a tick: the previous run is still going');
      // The first run ends; the scheduler says when the next one is.
      await seen((l) => l.msg === 'run ended; waiting for the next tick' && typeof l.next === 'string');
      // A second run is under way (past its config): stop the schedule now.
      const started = () => lines.filter((l) => l.msg === 'run started').length;
      await seen(() => started() >= 2);
      const runIds = () => new Set(lines.filter((l) => l.stage === 'extract').map((l) => l.runId));
      await seen(() => runIds().size >= 2);
      scheduler.kill('SIGTERM');
      const code = await exited;
      expect([ExitCode.ok, ExitCode.partial]).toContain(code);
    } finally {
      if (scheduler.exitCode === null) scheduler.kill('SIGKILL');
    }
    expect(lines.some((l) => l.msg === 'schedule stopped')).toBe(true);
    const last = lines.at(-1);
    expect(last).toMatchObject({ msg: 'summary', command: 'schedule' });
    expect((last?.counts as { skipped?: number } | undefined)?.skipped).toBeGreaterThanOrEqual(1);
    // No run process outlives the scheduler.
    for (const l of lines.filter((x) => x.msg === 'run started')) {
      expect(() => process.kill(Number(l.pid), 0)).toThrow();
    }
    // Every run it started ended with its final row: none is left 'running'.
    const warehouse = await openDuckdbWarehouse({ path: join(dir, 'tide.duckdb') });
    try {
      const statuses: string[] = [];
      for await (const r of warehouse.query('SELECT status FROM tide.runs ORDER BY started_at'))
        statuses.push(String(r.status));
      expect(statuses.length).toBeGreaterThanOrEqual(2);
      expect(statuses).not.toContain('running');
      expect(statuses.slice(0, -1).every((s) => s === 'success')).toBe(true);
      expect(['success', 'partial']).toContain(statuses.at(-1));
    } finally {
      await warehouse.close();
    }
  }, 90_000);
});

describe('Scheduler', () => {
  it('refuses an invalid cron expression as a config error', () => {
    expect(
      () =>
        new Scheduler({
          cron: '61 * * * *',
          log: new MemoryLogger(),
          start: () => ({ exited: Promise.resolve(0), stop: () => {} }),
        }),
    ).toThrow(/invalid cron expression "61 \* \* \* \*"/);
  });

  it('stopped while idle ends at once with nothing interrupted', async () => {
    const scheduler = new Scheduler({
      cron: '0 3 * * *',
      log: new MemoryLogger(),
      start: () => {
        throw new Error('no tick was due');
      },
    });
    const done = scheduler.run();
    expect(scheduler.nextRun()?.getUTCMinutes()).toBe(0);
    scheduler.stop('SIGINT');
    expect(await done).toEqual({ runs: 0, skipped: 0, failed: 0, interruptedExit: null });
  });
});
