import { afterAll, beforeAll } from 'vitest';
import { type SimulatedSource, startSimulated } from './simulated-sources.js';

/**
 * For a describe block: starts the kind's simulator before its tests, exports the credentials it
 * issued into process.env (the CLI runs in-process and reads them from there), and stops it after.
 * The returned object holds the running simulator once the tests run.
 */
export function useSimulated(
  kind: string,
  options: { readonly seed?: number; readonly scale?: number } = {},
): { readonly current: SimulatedSource } {
  let running: SimulatedSource | null = null;
  beforeAll(async () => {
    running = await startSimulated(kind, options);
    for (const [name, value] of Object.entries(running.sim.env)) process.env[name] = value;
  });
  afterAll(async () => {
    for (const name of Object.keys(running?.sim.env ?? {})) delete process.env[name];
    await running?.close();
  });
  return {
    get current(): SimulatedSource {
      if (running === null) throw new Error(`the ${kind} simulator is not running`);
      return running;
    },
  };
}
