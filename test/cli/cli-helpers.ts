import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI in-process, capturing what it prints. */
export async function tide(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'tide', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/**
 * Writes a config module into a fresh temp folder (the warehouse file goes there too, and the types
 * file `tide models run` writes, unless the config says otherwise); returns the config path and the
 * folder.
 */
export function writeConfig(build: (dir: string) => unknown): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tide-cli-'));
  const file = join(dir, 'pipeline.config.ts');
  const config = build(dir);
  if (typeof config === 'object' && config !== null && !Array.isArray(config)) {
    const models = (config as { models?: Record<string, unknown> }).models ?? {};
    if (!('typesFile' in models)) {
      (config as { models?: Record<string, unknown> }).models = {
        ...models,
        typesFile: join(dir, 'tide-database.ts'),
      };
    }
  }
  writeFileSync(file, `export default ${JSON.stringify(config, null, 2)};\n`);
  return { file, dir };
}
