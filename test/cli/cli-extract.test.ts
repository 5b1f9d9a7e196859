import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import {
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../simulators/hubspot/start-hubspot-simulator.js';
import { tide, writeConfig } from './cli-helpers.js';

describe('tide CLI', () => {
  it('rejects an invalid config with every problem, exit code 2, and no warehouse file', async () => {
    const { file, dir } = writeConfig((d) => ({
      sources: [{ kind: 'hubspot', streams: ['contacts', 'nope'] }],
      warehouse: { kind: 'duckdb', path: join(d, 'x.duckdb') },
    }));
    const run = await tide('extract', '--config', file);
    expect(run.code).toBe(ExitCode.invalidConfig);
    expect(run.stderr).toContain('sources[0].tokenEnv: required');
    expect(run.stderr).toContain('sources[0].streams[1]');
    expect(existsSync(join(dir, 'x.duckdb'))).toBe(false);
  });

  it('rejects unknown flags with exit code 2', async () => {
    const run = await tide('extract', '--no-such-flag');
    expect(run.code).toBe(ExitCode.invalidConfig);
  });

  it('names a missing config file', async () => {
    const run = await tide('status', '--config', '/nonexistent/pipeline.config.ts');
    expect(run.code).toBe(ExitCode.invalidConfig);
    expect(run.stderr).toContain('config file not found');
  });

  describe('against a HubSpot simulator as a real account', () => {
    let sim: StartedHubspotSimulator;
    beforeAll(async () => {
      sim = await startHubspotSimulator({ seed: 3, scale: 200, mutationsPerStart: 0 });
    });
    afterAll(async () => {
      await sim.close();
      delete process.env.TIDE_TEST_HS_TOKEN;
    });

    it('a wrong token fails with a message naming the variable and never the secret', async () => {
      const secret = 'pat-na1-this-is-not-the-right-token';
      process.env.TIDE_TEST_HS_TOKEN = secret;
      const { file } = writeConfig((d) => ({
        sources: [
          { kind: 'hubspot', baseUrl: sim.baseUrl, tokenEnv: 'TIDE_TEST_HS_TOKEN', streams: ['contacts'] },
        ],
        warehouse: { kind: 'duckdb', path: join(d, 'w.duckdb') },
      }));
      const run = await tide('extract', '--config', file, '--json');
      expect(run.code).toBe(ExitCode.failure);
      const all = run.stdout + run.stderr;
      expect(all).toContain('TIDE_TEST_HS_TOKEN');
      expect(all).toContain('credentials_rejected');
      expect(all).not.toContain(secret);
    });

    it('a missing variable is named before any request is made', async () => {
      delete process.env.TIDE_TEST_HS_MISSING;
      await sim.control.resetStats();
      const { file } = writeConfig((d) => ({
        sources: [{ kind: 'hubspot', baseUrl: sim.baseUrl, tokenEnv: 'TIDE_TEST_HS_MISSING' }],
        warehouse: { kind: 'duckdb', path: join(d, 'w.duckdb') },
      }));
      const run = await tide('extract', '--config', file);
      expect(run.code).toBe(ExitCode.failure);
      expect(run.stderr).toContain('TIDE_TEST_HS_MISSING is not set');
      expect((await sim.control.stats()).total).toBe(0);
    });
  });
});
