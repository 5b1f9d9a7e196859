import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatIssues } from '../core/format-issues.js';
import { TideError } from '../core/tide-error.js';
import { configLoadError } from './config-load-error.js';
import { importConfigModule } from './import-config-module.js';
import { type PipelineConfig, PipelineConfigSchema } from './schema.js';

/**
 * Loads `pipeline.config.ts` (any module whose default export is the config) and validates it. Every
 * problem is reported with its path, e.g. `sources[0].tokenEnv: required`.
 */
export async function loadConfig(file: string): Promise<PipelineConfig> {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw new TideError('config_not_found', `config file not found: ${file}`, {
      hint: 'run from the project folder or pass --config <file>',
    });
  }
  let module: Record<string, unknown>;
  try {
    module = await importConfigModule(path);
  } catch (error) {
    throw configLoadError(file, error);
  }
  if (module.default === undefined) {
    throw new TideError('config_invalid', `${file} has no default export`, {
      hint: 'end the file with: export default defineConfig({...})',
    });
  }
  return parseConfig(module.default, file);
}

export function parseConfig(input: unknown, label = 'config'): PipelineConfig {
  const parsed = PipelineConfigSchema.safeParse(input);
  if (!parsed.success) {
    const lines = formatIssues(parsed.error.issues);
    throw new TideError('config_invalid', `${label} is invalid:\n${lines.map((l) => `  - ${l}`).join('\n')}`);
  }
  return parsed.data;
}
