import { basename } from 'node:path';
import { TideError } from '../core/tide-error.js';

/**
 * Turns whatever importing the user's config threw (a compile error from tsx, a syntax error, an
 * exception the file's own code raised) into one terminal error that names the file and the line.
 */
export function configLoadError(file: string, error: unknown): TideError {
  const detail = error instanceof Error ? error.message : String(error);
  if (/^Transform failed/.test(detail) || error instanceof SyntaxError) {
    return new TideError('config_invalid', `${file} does not compile: ${detail}`, {
      hint: 'fix the TypeScript syntax at the line shown',
      cause: error,
    });
  }
  const where = error instanceof Error ? lineInFile(error.stack, file) : undefined;
  return new TideError(
    'config_invalid',
    `${file} threw while loading${where ? ` (${where})` : ''}: ${detail}`,
    { hint: 'the config file runs when Tide starts; fix the code that throws', cause: error },
  );
}

/** `line 3:9` from the first stack frame inside the config file, when the stack has one. */
function lineInFile(stack: string | undefined, file: string): string | undefined {
  const name = basename(file);
  for (const frame of stack?.split('\n') ?? []) {
    const match = /([^/\\(\s]+?)(?:\?[^:]*)?:(\d+):(\d+)\)?$/.exec(frame.trim());
    if (match?.[1] === name) return `line ${match[2]}:${match[3]}`;
  }
  return undefined;
}
