import { z } from 'zod';

/** Source names prefix raw tables, so they are plain lower-case identifiers. */
export const sourceName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,30}$/, 'lower-case letters, digits and _ (start with a letter, at most 31)');

/** Credentials are never in config: config names the environment variable that holds them. */
export const envVarName = z
  .string({ error: 'required: the name of the environment variable holding the credential' })
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as HUBSPOT_TOKEN (upper-case, digits, _)');

/**
 * When present, Tide starts its built-in simulator of this CRM on a free loopback port and talks to
 * it instead of `baseUrl`, with credentials the simulator issues. This is the demo default.
 */
export const simulatorOptions = z
  .object({
    seed: z.number().int().default(42),
    /** Number of contacts (other objects scale with it). */
    scale: z.number().int().positive().max(2_000_000).default(5_000),
    /** Records changed at each simulator start, so repeated demo runs show incremental loads. */
    mutationsPerStart: z.number().int().nonnegative().default(25),
    /**
     * A simulator already running (`tide simulate` prints its URL and credentials): Tide talks to it
     * instead of starting one, with the credentials from the environment, so a second terminal can
     * drive its `/_sim/` faults while Tide runs. The other keys are then the running one's business.
     */
    url: z.url().optional(),
  })
  .strict();
export type SimulatorOptions = z.output<typeof simulatorOptions>;

/** Days something is kept (a log, a history), `null` to keep it forever; `what` names it in the error. */
export function retentionDays(what: string) {
  return z
    .number()
    .int()
    .positive(`at least 1 day, or null to keep ${what} forever`)
    .max(36_500)
    .nullable()
    .default(90);
}
