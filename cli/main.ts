import { CommanderError } from 'commander';
import { ExitCode, isTideError } from '../core/tide-error.js';
import { bindInvocation, Invocation } from './invocation.js';
import { buildProgram } from './program.js';

/** Commander's ways of saying "help or version was shown": not a command that ran. */
const SHOWN = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/**
 * Runs the CLI and returns the process exit code. Only what every command line needs is imported
 * here (no zod, no config, no warehouse): `tide --help` stays quick (BENCHMARKS.md: CLI startup).
 */
export async function main(argv: readonly string[]): Promise<number> {
  const invocation = new Invocation({
    json: argv.includes('--json'),
    verbose: argv.includes('--verbose') || argv.includes('-v'),
  });
  const log = invocation.logger();
  let code: number;
  try {
    const program = await buildProgram(argv);
    bindInvocation(program, invocation);
    await program.parseAsync([...argv]);
    code = invocation.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (SHOWN.has(error.code)) return ExitCode.ok;
      code = error.exitCode === 0 ? ExitCode.ok : ExitCode.invalidConfig;
    } else if (isTideError(error)) {
      log.error(error.message, { code: error.code, ...(error.hint ? { hint: error.hint } : {}) });
      code =
        error.code === 'config_invalid' || error.code === 'config_not_found'
          ? ExitCode.invalidConfig
          : ExitCode.failure;
    } else {
      log.error(
        `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      code = ExitCode.failure;
    }
  }
  invocation.finish(code);
  return code;
}
