/**
 * Runs the HubSpot simulator as its own process (benchmarks keep its memory apart from the
 * pipeline's). Options come from flags or HUBSPOT_SIM_* variables, e.g.
 *
 *   npx tsx simulators/hubspot/bin.ts --scale=1000000 --seed=7 --burst-limit=0
 *
 * and it prints one JSON line `{"baseUrl":…,"token":…,"pid":…}` once it listens, then serves until
 * SIGTERM/SIGINT, or until its stdin pipe closes (so it dies with a parent that forgets to stop it).
 */
import { fstatSync } from 'node:fs';
import { z } from 'zod';
import { type HubspotSimulatorOptions, startHubspotSimulator } from './start-hubspot-simulator.js';

const KEYS = {
  seed: 'seed',
  scale: 'scale',
  'mutations-per-start': 'mutationsPerStart',
  port: 'port',
  token: 'token',
  'burst-limit': 'burstLimit',
  'search-per-second': 'searchPerSecond',
  'search-lag-ms': 'searchLagMs',
  'daily-limit': 'dailyLimit',
  'extra-properties': 'extraProperties',
} as const satisfies Record<string, keyof HubspotSimulatorOptions>;

const OptionsSchema = z
  .object({
    seed: z.coerce.number().int(),
    scale: z.coerce.number().int().positive(),
    mutationsPerStart: z.coerce.number().int().nonnegative(),
    port: z.coerce.number().int().nonnegative(),
    token: z.string().min(1),
    burstLimit: z.coerce.number().int().nonnegative(),
    searchPerSecond: z.coerce.number().int().nonnegative(),
    searchLagMs: z.coerce.number().int().nonnegative(),
    dailyLimit: z.coerce.number().int().nonnegative(),
    extraProperties: z.coerce.number().int().nonnegative(),
  })
  .partial();

function readOptions(argv: readonly string[], env: NodeJS.ProcessEnv): HubspotSimulatorOptions {
  const raw: Record<string, string> = {};
  for (const [flag, key] of Object.entries(KEYS)) {
    const fromEnv = env[`HUBSPOT_SIM_${flag.toUpperCase().replace(/-/g, '_')}`];
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

const options = readOptions(process.argv.slice(2), process.env);
const sim = await startHubspotSimulator(options);
process.stdout.write(`${JSON.stringify({ baseUrl: sim.baseUrl, token: sim.token, pid: process.pid })}\n`);
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
