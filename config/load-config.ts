import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { TideError } from '../errors/tide-error.js';
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

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${formatPath(issue.path)}: ${describe(issue)}`);
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return 'required';
  if (issue.code === 'unrecognized_keys')
    return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
