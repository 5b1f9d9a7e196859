/**
 * Runs the Pipedrive simulator as its own process (benchmarks keep its memory and CPU apart from the
 * pipeline's). Options come from flags or PIPEDRIVE_SIM_* variables, e.g.
 *
 *   npx tsx simulators/pipedrive/bin.ts --scale=600000 --seed=7 --burst-limit=0
 *
 * It prints one JSON line `{"baseUrl":…,"apiToken":…,"persons":…,"pid":…}` once it listens, then
 * serves until SIGTERM/SIGINT or until its stdin pipe closes (it dies with a parent that forgets it).
 */
import { fstatSync } from 'node:fs';
import { z } from 'zod';
import { type PipedriveSimulatorOptions, startPipedriveSimulator } from './start-pipedrive-simulator.js';

const KEYS = {
  seed: 'seed',
  scale: 'scale',
  'mutations-per-start': 'mutationsPerStart',
  port: 'port',
  'api-token': 'apiToken',
  'burst-limit': 'burstLimit',
  'daily-token-budget': 'dailyTokenBudget',
} as const satisfies Record<string, keyof PipedriveSimulatorOptions>;

const OptionsSchema = z
  .object({
    seed: z.coerce.number().int(),
    scale: z.coerce.number().int().positive(),
    mutationsPerStart: z.coerce.number().int().nonnegative(),
    port: z.coerce.number().int().nonnegative(),
    apiToken: z.string().min(1),
    burstLimit: z.coerce.number().int().nonnegative(),
    dailyTokenBudget: z.coerce.number().int().nonnegative(),
  })
  .partial();

function readOptions(argv: readonly string[], env: NodeJS.ProcessEnv): PipedriveSimulatorOptions {
  const raw: Record<string, string> = {};
  for (const [flag, key] of Object.entries(KEYS)) {
    const fromEnv = env[`PIPEDRIVE_SIM_${flag.toUpperCase().replace(/-/g, '_')}`];
    if (fromEnv !== undefined) raw[key] = fromEnv;
  }
  for (const arg of argv) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    const key = match ? KEYS[match[1] as keyof typeof KEYS] : undefined;
    if (!match || key === undefined)
      throw new Error(`unknown argument ${arg}; use --${Object.keys(KEYS).join('=…, --')}=…`);
    raw[key] = match[2]!;
  }
  return OptionsSchema.parse(raw);
}

const sim = await startPipedriveSimulator(readOptions(process.argv.slice(2), process.env));
process.stdout.write(
  `${JSON.stringify({ baseUrl: sim.baseUrl, apiToken: sim.apiToken, persons: sim.persons, pid: process.pid })}\n`,
);
const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Only a pipe from a parent signals its death by closing; /dev/null (stdio 'ignore') closes at once.
if (fstatSync(0).isFIFO()) {
  process.stdin.on('end', stop);
  process.stdin.resume();
}
