import type { Command } from 'commander';
import { type CliContext, createCliContext } from './cli-context.js';

/**
 * Wraps a command handler: builds its context from the global flags and records the exit code it
 * returns (a partial run or failed data tests exit non-zero without being an exception).
 */
export function commandAction<Args extends unknown[]>(
  handler: (ctx: CliContext, ...args: Args) => Promise<number | undefined>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const ctx = createCliContext(command);
    const code = await handler(ctx, ...(args.slice(0, -1) as Args));
    if (code !== undefined) ctx.invocation.exitCode = code;
  };
}
