import type { Command } from 'commander';
import { type CliContext, createCliContext } from './cli-context.js';

const exitCodes = new WeakMap<Command, number>();

function root(command: Command): Command {
  let c = command;
  while (c.parent) c = c.parent;
  return c;
}

/**
 * Wraps a command handler: builds its context from the global flags and records the exit code it
 * returns (a partial run or failed data tests exit non-zero without being an exception).
 */
export function commandAction<Args extends unknown[]>(
  handler: (ctx: CliContext, ...args: Args) => Promise<number | undefined>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const code = await handler(createCliContext(command), ...(args.slice(0, -1) as Args));
    if (code !== undefined) exitCodes.set(root(command), code);
  };
}

export function exitCodeOf(program: Command): number {
  return exitCodes.get(program) ?? 0;
}
