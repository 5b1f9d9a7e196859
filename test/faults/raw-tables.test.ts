import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tide, writeConfig } from '../cli/cli-helpers.js';
import { simulatedKinds } from './simulated-sources.js';
import { useSimulated } from './use-simulated.js';

/**
 * Issue 16's third reproduction as the operator ran it, through every connector's simulator: a raw
 * table dropped with `tide sql` is rebuilt by the next `tide extract`, with every row back.
 */
describe.each(simulatedKinds())('a dropped raw table, through the %s simulator', (kind) => {
  const sim = useSimulated(kind, { scale: 200 });

  it('is rebuilt by the next extract, with every row back', async () => {
    const simulated = sim.current;
    const { file } = writeConfig((d) => ({
      sources: [simulated.configEntry()],
      warehouse: { kind: 'duckdb', path: join(d, 'w.duckdb') },
      syncs: [],
    }));
    const stream = simulated.firstStream;
    const table = `raw.${simulated.config.name}__${stream.toLowerCase()}`;
    const count = async (): Promise<string> =>
      (await tide('sql', '--config', file, '--format', 'csv', `select count(*) as n from ${table}`)).stdout;
    expect((await tide('extract', '--config', file, '--stream', stream)).code).toBe(0);
    const before = await count();
    expect((await tide('sql', '--config', file, '--write', `drop table ${table}`)).code).toBe(0);
    const rebuilt = await tide('extract', '--config', file, '--stream', stream);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr + rebuilt.stdout).toContain('reading the stream again in full');
    expect(await count()).toBe(before);
  });
});
