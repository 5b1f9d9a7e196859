import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { tide } from '../cli/cli-helpers.js';
import { smallDemoConfig } from '../ops/demo-config.js';

/** The models the table `tide run` prints reports as built (mode full or incremental). */
function built(stdout: string): string[] {
  return [...stdout.matchAll(/^(\w+\.\w+)\s+\S+(?: \(\d+ rounds\))?\s+(?:full|incremental)\s+success/gm)]
    .map((m) => m[1]!)
    .sort();
}

describe('tide run when nothing changed in the CRMs', () => {
  it('loads no new version and builds only the models that read what the run itself wrote', async () => {
    // Every demo connector on its simulator, with the same data at every start, and no pushes (a
    // push changes CRM records, which the next run reads).
    const quiet = smallDemoConfig({ mutationsPerStart: 0, extra: { syncs: [] } });
    const first = await tide('run', '--config', quiet.file);
    expect(first.code).toBe(ExitCode.ok);
    expect(built(first.stdout)).toContain('analytics.customers');

    // Cursor overlaps and same-second ties re-read records; identical versions are not written, so no
    // raw table moves. quality_metrics reads tide.loads and tide.requests, which every run appends to.
    const second = await tide('run', '--config', quiet.file);
    expect(second.code).toBe(ExitCode.ok);
    expect(second.stdout).toMatch(/analytics\.customers\s+table\s+unchanged\s+success/);
    expect(built(second.stdout)).toEqual(['analytics.quality_metrics', 'analytics.quality_metrics_history']);

    // The simulators change a few records at their next start: those models are built again.
    const changed = smallDemoConfig({ mutationsPerStart: 5, db: quiet.db, extra: { syncs: [] } });
    const third = await tide('run', '--config', changed.file);
    expect(third.code).toBe(ExitCode.ok);
    expect(built(third.stdout)).toEqual(
      expect.arrayContaining(['analytics.customers', 'staging.int_identity_edges']),
    );
  }, 240_000);
});
