import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDuckdbWarehouse } from '../load/duckdb/duckdb-warehouse.js';

/**
 * How long `tide --help` and `tide sql "select 1"` take to start and finish, next to the floors
 * under them: Node itself, and Node with tsx's loader (bin/tide.mjs runs TypeScript through it).
 * Every case runs ROUNDS times, interleaved, so machine load hits all alike; wall time and the
 * child's CPU time (user + sys, from /usr/bin/time) are reported, CPU being the figure a loaded
 * machine distorts least. TIDE_BENCH_BASELINE=<another Tide checkout, with node_modules> adds its
 * `--help` and `sql` as peers (e.g. the commit before a change).
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const ROUNDS = Number(process.env.TIDE_BENCH_ROUNDS ?? 10);
const TIME = '/usr/bin/time';

const dir = mkdtempSync(join(tmpdir(), 'tide-startup-'));
const config = join(dir, 'pipeline.config.ts');
const db = join(dir, 'tide.duckdb');
writeFileSync(
  config,
  `export default ${JSON.stringify({
    sources: [{ kind: 'hubspot', name: 'hubspot', tokenEnv: 'HUBSPOT_TOKEN' }],
    warehouse: { kind: 'duckdb', path: db },
  })};\n`,
);
const warehouse = await openDuckdbWarehouse({ path: db });
await warehouse.init();
await warehouse.close();

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly cwd: string;
}
const tideCases = (label: string, checkout: string): Case[] => [
  { name: `${label}tide --help`, args: [join(checkout, 'bin', 'tide.mjs'), '--help'], cwd: checkout },
  {
    name: `${label}tide sql "select 1"`,
    args: [join(checkout, 'bin', 'tide.mjs'), 'sql', 'select 1', '--config', config],
    cwd: checkout,
  },
];
const cases: Case[] = [
  { name: 'node -e 0', args: ['-e', '0'], cwd: root },
  {
    name: 'node + tsx loader',
    args: ['--input-type=module', '-e', "(await import('tsx/esm/api')).register()"],
    cwd: root,
  },
  ...tideCases('', root),
  ...(process.env.TIDE_BENCH_BASELINE ? tideCases('baseline: ', process.env.TIDE_BENCH_BASELINE) : []),
];

const samples = new Map<string, { wall: number[]; cpu: number[] }>(
  cases.map((c) => [c.name, { wall: [], cpu: [] }]),
);
const loads: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    const timed = existsSync(TIME);
    const started = performance.now();
    const result = timed
      ? spawnSync(TIME, ['-f', '%U %S', process.execPath, ...c.args], { cwd: c.cwd, encoding: 'utf8' })
      : spawnSync(process.execPath, [...c.args], { cwd: c.cwd, encoding: 'utf8' });
    const wall = (performance.now() - started) / 1000;
    if (result.status !== 0) throw new Error(`${c.name} exited ${result.status}: ${result.stderr}`);
    const s = samples.get(c.name);
    s?.wall.push(wall);
    if (timed) {
      const [user, sys] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
      s?.cpu.push((user ?? 0) + (sys ?? 0));
    }
  }
  loads.push(loadavg()[0] ?? 0);
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const fmt = (x: number): string => (Number.isNaN(x) ? '-' : `${x.toFixed(2)} s`);
console.log(
  `CLI startup: ${ROUNDS} rounds, interleaved; load average (1 min) ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${process.env.NPROC ?? 'this machine'}`,
);
console.log('| command | wall median | wall min | CPU median (user+sys) | CPU min |');
console.log('| --- | --- | --- | --- | --- |');
for (const c of cases) {
  const s = samples.get(c.name) ?? { wall: [], cpu: [] };
  console.log(
    `| ${c.name} | ${fmt(median(s.wall))} | ${fmt(Math.min(...s.wall))} | ${fmt(median(s.cpu))} | ${fmt(s.cpu.length ? Math.min(...s.cpu) : Number.NaN)} |`,
  );
}
