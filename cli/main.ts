import { CommanderError } from 'commander';
import { ExitCode, isTideError } from '../core/tide-error.js';
import { ConsoleLogger } from '../log/console-logger.js';
import { exitCodeOf } from './command-action.js';
import { buildProgram } from './program.js';

/** Runs the CLI and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const json = argv.includes('--json');
  const log = new ConsoleLogger({ json });
  try {
    await program.parseAsync([...argv]);
    return exitCodeOf(program);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.invalidConfig;
    }
    if (isTideError(error)) {
      log.error(error.message, { code: error.code, ...(error.hint ? { hint: error.hint } : {}) });
      return error.code === 'config_invalid' || error.code === 'config_not_found'
        ? ExitCode.invalidConfig
        : ExitCode.failure;
    }
    log.error(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return ExitCode.failure;
  }
}
