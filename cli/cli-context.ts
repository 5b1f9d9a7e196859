import type { Command } from 'commander';
import { z } from 'zod';
import type { PipelineConfig } from '../config/schema.js';
import type { ConsoleLogger } from '../log/console-logger.js';
import { ProgressReporter } from '../log/progress-reporter.js';
import { type Invocation, invocationOf } from './invocation.js';

export const GlobalOptionsSchema = z.object({
  config: z.string().min(1).default('pipeline.config.ts'),
  json: z.boolean().default(false),
  verbose: z.boolean().default(false),
  wait: z.coerce.number().min(0).default(0),
});
export type GlobalOptions = z.output<typeof GlobalOptionsSchema>;

/** What every command gets: parsed global flags, a logger, progress, and the config on demand. */
export interface CliContext {
  readonly options: GlobalOptions;
  readonly invocation: Invocation;
  /** The invocation's run id: on every log line, in `tide.runs` and in every system-table row of the run. */
  readonly runId: string;
  readonly log: ConsoleLogger;
  progress(): ProgressReporter;
  config(): Promise<PipelineConfig>;
  /** Writes command output (tables, JSON results) to stdout. */
  print(text: string): void;
  /**
   * A command's one-line result: the text on stdout, or under `--json` a log line carrying the fields
   * (so a log shipper never meets a plain line among the JSON ones).
   */
  result(text: string, fields: Record<string, unknown>): void;
}

export function createCliContext(command: Command): CliContext {
  const parsed = GlobalOptionsSchema.safeParse(command.optsWithGlobals());
  const options = parsed.success ? parsed.data : GlobalOptionsSchema.parse({});
  const invocation = invocationOf(command);
  invocation.command ||= commandPath(command);
  const log = invocation.logger();
  if (!parsed.success) log.warn('--wait takes a number of seconds; not waiting');
  let config: Promise<PipelineConfig> | null = null;
  return {
    options,
    invocation,
    runId: invocation.runId,
    log,
    progress: () => new ProgressReporter(invocation.terminal),
    config: () => {
      // Loaded on first use: `tide --help` never pays for the config schema (every connector).
      config ??= import('../config/load-config.js').then((m) => m.loadConfig(options.config));
      return config;
    },
    print,
    result: (text, fields) => (options.json ? log.info(text, fields) : print(text)),
  };
}

function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** `models run` for `tide models run`. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
