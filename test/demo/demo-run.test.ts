import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { tide, writeConfig } from '../cli/cli-helpers.js';

/**
 * The demo as `npm start` runs it (every CRM on its simulator, seeded, dated relative to today), at a
 * smaller scale and without reverse ETL, then what an analyst does next: scores, docs, types, export.
 */
describe('the demo, end to end', () => {
  let file: string;
  let dir: string;
  beforeAll(async () => {
    const simulator = { seed: 42, scale: 800, mutationsPerStart: 5 };
    const written = writeConfig((d) => ({
      sources: [
        { kind: 'hubspot', name: 'hubspot', tokenEnv: 'HUBSPOT_TOKEN', simulator },
        {
          kind: 'salesforce',
          name: 'salesforce',
          clientIdEnv: 'SALESFORCE_CLIENT_ID',
          clientSecretEnv: 'SALESFORCE_CLIENT_SECRET',
          simulator,
        },
        { kind: 'pipedrive', name: 'pipedrive', apiTokenEnv: 'PIPEDRIVE_API_TOKEN', simulator },
      ],
      warehouse: { kind: 'duckdb', path: join(d, 'tide.duckdb') },
    }));
    file = written.file;
    dir = written.dir;
    const run = await tide('run', '--config', file);
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(ExitCode.ok);
  }, 180_000);

  it("scores span the range: the simulators' activities fall inside the scores' window", async () => {
    const out = await tide(
      'sql',
      'select min(score) as low, max(score) as high, count(*) filter (where score > 70) as above_70, max(activities_recent) as busiest from analytics.customer_scores',
      '-f',
      'json',
      '--config',
      file,
    );
    const [scores] = JSON.parse(out.stdout) as {
      low: number;
      high: number;
      above_70: number;
      busiest: number;
    }[];
    expect(scores!.low).toBeLessThan(20);
    expect(scores!.high).toBeGreaterThan(85);
    expect(scores!.above_70).toBeGreaterThan(5);
    expect(scores!.busiest).toBeGreaterThanOrEqual(10);
  });

  it('then docs, types and an Arrow export of analytics.customers; sql refuses a drop', async () => {
    expect((await tide('docs', '--out', join(dir, 'site'), '--config', file)).code).toBe(ExitCode.ok);
    expect(readFileSync(join(dir, 'site', 'index.html'), 'utf8')).toContain('<svg class="lineage"');
    const types = await tide('types', '--out', join(dir, 'db.ts'), '--config', file);
    expect(types.code).toBe(ExitCode.ok);
    expect(readFileSync(join(dir, 'db.ts'), 'utf8')).toContain(
      "'analytics.customer_scores': AnalyticsCustomerScores;",
    );
    const arrow = join(dir, 'customers.arrow');
    expect(
      (await tide('export', 'analytics.customers', '--format', 'arrow', '--out', arrow, '--config', file))
        .code,
    ).toBe(0);
    const count = JSON.parse(
      (await tide('sql', 'select count(*) as n from analytics.customers', '-f', 'json', '--config', file))
        .stdout,
    ) as { n: number }[];
    expect(tableFromIPC(readFileSync(arrow)).numRows).toBe(count[0]!.n);
    const drop = await tide('sql', 'drop table analytics.customers', '--config', file);
    expect(drop.code).toBe(ExitCode.failure);
  });
});
