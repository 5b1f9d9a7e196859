import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { tide, writeConfig } from '../cli/cli-helpers.js';
import { accountWrites, reverseStream, reverseSync, runKilledWhen } from './reverse-faults.js';
import { simulatedKinds } from './simulated-sources.js';
import { useSimulated } from './use-simulated.js';

/**
 * Issue 16's fourth reproduction, through every connector's simulator: `tide reverse` killed with
 * SIGKILL right after the CRM received its first write, then run again. Every write the CRM received
 * has an intent line in tide.push_log, nothing confirmed is sent again, the resends say so, and a
 * third run writes nothing. (bench/faults kills at ten points per CRM.)
 */
describe.each(simulatedKinds())('reverse ETL killed mid-push, through the %s simulator', (kind) => {
  const sim = useSimulated(kind, { scale: 300 });

  it('leaves no unlogged CRM write, and the rerun sends only what was not confirmed', async () => {
    const simulated = sim.current;
    const sync = reverseSync(simulated, 1);
    const { file } = writeConfig((d) => ({
      sources: [simulated.configEntry()],
      warehouse: { kind: 'duckdb', path: join(d, 'w.duckdb') },
      syncs: [sync],
    }));
    const extract = await tide('extract', '--config', file, '--stream', reverseStream(simulated));
    expect(extract.code, extract.stderr).toBe(0);

    await simulated.control('DELETE', '/_sim/stats');
    // Slow answers, so the kill lands with calls in flight.
    await simulated.control('POST', '/_sim/faults', { latencyMs: 150 });
    const killed = await runKilledWhen(['reverse', '--config', file], simulated.sim.env, async () => {
      const stats = (await simulated.control('GET', '/_sim/stats')) as { writes: number };
      return stats.writes >= 1;
    });
    expect(killed.killed).toBe(true);
    await simulated.control('DELETE', '/_sim/faults');

    const rerun = await tide('reverse', '--config', file);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(ExitCode.ok);
    const accounting = await accountWrites(simulated, file, String(sync.name));
    expect(accounting.writesReceived).toBeGreaterThan(0);
    expect(accounting.unlogged).toEqual([]);
    expect(accounting.openIntents).toBe(0);
    expect(accounting.confirmedButResent).toEqual([]);

    await simulated.control('DELETE', '/_sim/stats');
    const third = await tide('reverse', '--config', file);
    expect(third.code).toBe(ExitCode.ok);
    expect(((await simulated.control('GET', '/_sim/stats')) as { writes: number }).writes).toBe(0);
  });
});
