import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DEMO_CONFIG = resolve(import.meta.dirname, '..', '..', 'pipeline.config.ts');

/**
 * A config that is the repository's demo (every connector the demo configures, on its simulator,
 * with the demo's syncs) at a small scale, in a fresh folder with its own DuckDB file. Importing the
 * demo instead of copying it means a connector added to the demo is in these tests too.
 */
export function smallDemoConfig(
  options: {
    scale?: number;
    /** Changes each simulator makes to its data when it starts (default 5). */
    mutationsPerStart?: number;
    /** Another config's warehouse file (default: a new one in the new folder). */
    db?: string;
    extra?: Record<string, unknown>;
    prelude?: string;
  } = {},
): { file: string; dir: string; db: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tide-ops-'));
  const file = join(dir, 'pipeline.config.ts');
  const db = options.db ?? join(dir, 'tide.duckdb');
  writeFileSync(
    file,
    `import demo from ${JSON.stringify(DEMO_CONFIG)};
${options.prelude ?? ''}
export default {
  ...demo,
  sources: demo.sources.map((s) => ({
    ...s,
    ...(s.simulator ? { simulator: { ...s.simulator, scale: ${options.scale ?? 150}, mutationsPerStart: ${options.mutationsPerStart ?? 5} } } : {}),
  })),
  warehouse: { kind: 'duckdb', path: ${JSON.stringify(db)} },
  ...${JSON.stringify(options.extra ?? {})},
};
`,
  );
  return { file, dir, db };
}
