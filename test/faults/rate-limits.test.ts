import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { tide, writeConfig } from '../cli/cli-helpers.js';
import { simulatedKinds } from './simulated-sources.js';
import { useSimulated } from './use-simulated.js';

/**
 * The small case of the fault suite's 429 storms (bench/faults), through every connector's simulator
 * and the real CLI: a rate-limit answer is waited out, never failed; when the run's wait budget cannot
 * cover it the run stops as partial (exit 3) with nothing lost, and the next run finishes. The storm
 * itself (40 answers, waited out to exit 0) takes minutes of the vendors' own waits: it lives in
 * `npm run faults`, the mechanism's unit cases in test/http.
 */
describe.each(simulatedKinds())('rate limits through the %s simulator', (kind) => {
  const sim = useSimulated(kind, { scale: 200 });

  it('a rate limit beyond the run’s wait budget ends as partial (exit 3), and the next run finishes', async () => {
    const simulated = sim.current;
    const { file, dir } = writeConfig((d) => ({
      sources: [simulated.configEntry()],
      warehouse: { kind: 'duckdb', path: join(d, 'w.duckdb') },
      rateLimitWaitSeconds: 0,
      syncs: [],
    }));
    await simulated.control('POST', '/_sim/faults', { rateLimit: 1 });
    const stream = ['--stream', simulated.firstStream];
    const stopped = await tide('extract', '--config', file, '--json', ...stream);
    expect(stopped.stdout + stopped.stderr).toContain('rate_limited');
    expect(stopped.stdout + stopped.stderr).not.toContain('http_retries_exhausted');
    expect(stopped.code).toBe(ExitCode.partial);

    await simulated.control('DELETE', '/_sim/faults');
    const { file: again } = writeConfig(() => ({
      sources: [simulated.configEntry()],
      warehouse: { kind: 'duckdb', path: join(dir, 'w.duckdb') },
      syncs: [],
    }));
    const finished = await tide('extract', '--config', again, '--json', ...stream);
    expect(finished.code).toBe(ExitCode.ok);
  });
});
