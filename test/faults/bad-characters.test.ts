import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlantedText } from '../../simulators/kit/plant-text.js';
import { tide, writeConfig } from '../cli/cli-helpers.js';
import { type SimulatedSource, simulatedKinds } from './simulated-sources.js';
import { useSimulated } from './use-simulated.js';

const LONE_HIGH = 'x\ud800y';
const LONE_LOW = '\udc00tail';
const NUL = 'a\u0000b';
const EMOJI = 'ok 😀';

/**
 * Issue 16's second reproduction, through every connector's simulator and the real CLI: a lone
 * surrogate (half an emoji) or a NUL in one CRM value is stored as U+FFFD, the same in the typed
 * column and in `_tide_record`, and the models build on it. A well-formed emoji stays as it is.
 */
describe.each(simulatedKinds())('bad characters through the %s simulator', (kind) => {
  const sim = useSimulated(kind, { scale: 200 });
  let simulated: SimulatedSource;
  let planted: PlantedText;
  let file: string;
  beforeAll(async () => {
    simulated = sim.current;
    planted = (await simulated.control('POST', '/_sim/plant-text', {
      values: [LONE_HIGH, LONE_LOW, NUL, EMOJI],
    })) as PlantedText;
    ({ file } = writeConfig((d) => ({
      sources: [simulated.configEntry()],
      warehouse: { kind: 'duckdb', path: join(d, 'w.duckdb') },
      syncs: [],
    })));
  });

  it('loads them as U+FFFD in the typed column and in _tide_record alike, and the models build', async () => {
    const extract = await tide('extract', '--config', file, '--json', '--stream', planted.object);
    expect(extract.code, extract.stdout + extract.stderr).toBe(0);

    const table = `raw.${simulated.config.name}__${planted.object.toLowerCase()}`;
    const query = `select c.column_name from tide.columns c where c.table_name = '${simulated.config.name}__${planted.object.toLowerCase()}' and c.field_name = '${planted.field}'`;
    const column = await sqlJson(file, query);
    expect(column, `the column holding ${planted.field}`).toHaveLength(1);
    const name = String(column[0]!.column_name);
    const rows = await sqlJson(
      file,
      `select _tide_id as id, "${name}" as typed, _tide_record->>'${planted.field}' as recorded from ${table} where _tide_id in (${planted.ids.map((id) => `'${id}'`).join(', ')})`,
    );
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    const expected = ['x\ufffdy', '\ufffdtail', 'a\ufffdb', EMOJI];
    planted.ids.forEach((id, i) => {
      expect(byId.get(id)?.typed, `${id} typed`).toBe(expected[i]);
      expect(byId.get(id)?.recorded, `${id} _tide_record`).toBe(expected[i]);
    });

    const models = await tide('models', 'run', '--config', file);
    expect(models.code, models.stdout + models.stderr).toBe(0);
    expect(models.stdout + models.stderr).not.toContain('Malformed JSON');
    // The operator is told, once per stream.
    expect(extract.stdout + extract.stderr).toContain('U+FFFD');
  });

  it('adds a custom field that appears mid-stream, hostile name and all, as a column and fills it', async () => {
    const hostile = `drift "field"; DROP TABLE raw.x; --`;
    const drift = (await simulated.control('POST', '/_sim/plant-text', {
      values: ['v1', 'v2'],
      field: hostile,
    })) as PlantedText;
    const extract = await tide('extract', '--config', file, '--json', '--stream', drift.object);
    expect(extract.code, extract.stdout + extract.stderr).toBe(0);

    const tableName = `${simulated.config.name}__${drift.object.toLowerCase()}`;
    const column = await sqlJson(
      file,
      `select column_name from tide.columns where table_name = '${tableName}' and field_name = '${drift.field.replaceAll("'", "''")}'`,
    );
    expect(column, `the column holding ${drift.field}`).toHaveLength(1);
    const rows = await sqlJson(
      file,
      `select _tide_id as id, "${String(column[0]!.column_name)}" as typed from raw.${tableName} where _tide_id in (${drift.ids.map((id) => `'${id}'`).join(', ')})`,
    );
    expect(new Map(rows.map((r) => [String(r.id), r.typed]))).toEqual(
      new Map(drift.ids.map((id, i) => [id, `v${i + 1}`])),
    );
    // The table the name tries to drop is a name, never SQL.
    expect(await sqlJson(file, `select count(*)::int as n from raw.${tableName}`)).not.toEqual([{ n: 0 }]);
  });
});

async function sqlJson(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const run = await tide('sql', '--config', file, '--format', 'json', sql);
  if (run.code !== 0) throw new Error(`tide sql failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>[];
}
