import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench [-- <filter> [args...]]`: runs every bench/*.bench.ts in its own process (so one
 * benchmark's heap cannot distort the next one's peak RSS), one after another; arguments after the
 * filter go to each matching benchmark (e.g. `npm run bench -- hubspot-throughput realworld 32000 1`).
 * Results are printed; BENCHMARKS.md records them with the command that produced them.
 */
const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const passed = process.argv.slice(3);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filter === undefined || f.includes(filter))
  .sort();
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, file), ...passed], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
