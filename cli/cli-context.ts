import type { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../config/load-config.js';
import type { PipelineConfig } from '../config/schema.js';
import { ConsoleLogger } from '../log/console-logger.js';
import { ProgressReporter } from '../log/progress-reporter.js';

export const GlobalOptionsSchema = z.object({
  config: z.string().min(1).default('pipeline.config.ts'),
  json: z.boolean().default(false),
  verbose: z.boolean().default(false),
});
export type GlobalOptions = z.output<typeof GlobalOptionsSchema>;

/** What every command gets: parsed global flags, a logger, progress, and the config on demand. */
export interface CliContext {
  readonly options: GlobalOptions;
  readonly log: ConsoleLogger;
  progress(): ProgressReporter;
  config(): Promise<PipelineConfig>;
  /** Writes command output (tables, JSON results) to stdout. */
  print(text: string): void;
}

export function createCliContext(command: Command): CliContext {
  const options = GlobalOptionsSchema.parse(command.optsWithGlobals());
  const log = new ConsoleLogger({ json: options.json, level: options.verbose ? 'debug' : 'info' });
  let config: Promise<PipelineConfig> | null = null;
  return {
    options,
    log,
    progress: () => new ProgressReporter({ enabled: !options.json && process.stderr.isTTY === true }),
    config: () => {
      config ??= loadConfig(options.config);
      return config;
    },
    print: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  };
}
