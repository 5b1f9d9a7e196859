import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { tide, writeConfig } from './cli-helpers.js';

const CHECKED = '2026-03-02T01:00:00.000Z';

/** A warehouse file with two loaded streams: contacts had its deletes checked, deals never. */
async function warehouseWithChecks(path: string): Promise<void> {
  const w = await openDuckdbWarehouse({ path });
  try {
    await w.init();
    for (const [stream, deletesCheckedAt] of [
      ['contacts', CHECKED],
      ['deals', null],
    ] as const) {
      const pkg = await w.beginLoad({ source: 'hubspot', stream, runId: 'r1', replace: false });
      await pkg.append([{ id: '1', updatedAt: '2026-03-01T10:00:00.000Z', deleted: false, fields: {} }]);
      await pkg.commit({ value: '2026-03-01T10:00:00.000Z', ids: ['1'] }, { deletesCheckedAt });
    }
  } finally {
    await w.close();
  }
}

describe('tide status: when deletes were last checked', () => {
  const setup = async () => {
    const { file, dir } = writeConfig((d) => ({
      sources: [{ kind: 'hubspot', tokenEnv: 'TIDE_TEST_STATUS_TOKEN', streams: ['contacts', 'deals'] }],
      warehouse: { kind: 'duckdb', path: join(d, 'w.duckdb') },
    }));
    await warehouseWithChecks(join(dir, 'w.duckdb'));
    return file;
  };

  it('shows a "deletes checked" column with the recorded time and its age, "-" where never', async () => {
    const run = await tide('status', '--config', await setup());
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const header = lines.find((l) => l.includes('stream'));
    expect(header).toMatch(/deletes checked\s+deletes age/);
    const contacts = lines.find((l) => l.includes('hubspot.contacts')) ?? '';
    const deals = lines.find((l) => l.includes('hubspot.deals')) ?? '';
    expect(contacts).toMatch(new RegExp(`${CHECKED.replace(/\./g, '\\.')}\\s+\\d+[smhd]\\s*$`));
    expect(deals).toMatch(/\s-\s+-\s*$/);
  });

  it('includes the time and its age in the JSON output', async () => {
    const run = await tide('status', '--config', await setup(), '--json');
    expect(run.code, run.stderr).toBe(0);
    const streams = `${run.stdout}\n${run.stderr}`
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'stream' || l.message === 'stream');
    const byStream = new Map(streams.map((s) => [s.stream, s]));
    expect(byStream.get('contacts')).toMatchObject({ deletesCheckedAt: CHECKED });
    expect(byStream.get('contacts')?.deletesCheckAgeSeconds).toBeGreaterThan(0);
    expect(byStream.get('deals')).toMatchObject({ deletesCheckedAt: null, deletesCheckAgeSeconds: null });
  });
});
