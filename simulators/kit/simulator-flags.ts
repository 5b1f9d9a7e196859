import { z } from 'zod';

/** Flags every simulator process takes (each vendor adds its own limits and credentials). */
export const commonSimulatorFlags = {
  seed: z.coerce.number().int(),
  scale: z.coerce.number().int().positive(),
  mutationsPerStart: z.coerce.number().int().nonnegative(),
  port: z.coerce.number().int().nonnegative(),
};

/** A count or limit flag; 0 usually turns the limit off. */
export const countFlag = z.coerce.number().int().nonnegative();

/**
 * A simulator process's options from `--kebab-name=value` flags and `<PREFIX>_SNAKE_NAME` variables
 * (a flag wins), named after the option keys of `shape`: `burstLimit` is `--burst-limit` and
 * `HUBSPOT_SIM_BURST_LIMIT`. Options left out are left to the simulator's defaults.
 */
export function readSimulatorFlags<Shape extends z.ZodRawShape>(
  shape: Shape,
  envPrefix: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): z.output<z.ZodObject<{ [Key in keyof Shape]: z.ZodOptional<Shape[Key]> }>> {
  const keyOfFlag = new Map(Object.keys(shape).map((key) => [kebabCase(key), key]));
  const raw: Record<string, string> = {};
  for (const [flag, key] of keyOfFlag) {
    const fromEnv = env[`${envPrefix}_${flag.toUpperCase().replace(/-/g, '_')}`];
    if (fromEnv !== undefined) raw[key] = fromEnv;
  }
  for (const arg of argv) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    const key = match ? keyOfFlag.get(match[1]!) : undefined;
    if (!match || key === undefined) {
      throw new Error(`unknown argument ${arg}; use --${[...keyOfFlag.keys()].join('=…, --')}=…`);
    }
    raw[key] = match[2]!;
  }
  return z.object(shape).partial().parse(raw);
}

function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (upper) => `-${upper.toLowerCase()}`);
}
