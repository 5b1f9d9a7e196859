import { execFile } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import { ExitCode } from '../../core/tide-error.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';

const repo = resolve(import.meta.dirname, '../..');
const defineConfigModule = join(repo, 'config/define-config.js');
const run = promisify(execFile);

/**
 * A folder outside Tide's checkout. `packageType` writes a package.json next to the config: a
 * CommonJS package is the case where tsx would otherwise compile the config as CommonJS.
 */
function userFolder(configSource: string, packageType?: 'commonjs'): string {
  const dir = mkdtempSync(join(tmpdir(), 'tide-user-config-'));
  if (packageType) writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: packageType }));
  const file = join(dir, 'pipeline.config.ts');
  writeFileSync(file, configSource);
  return file;
}

const importsDefineConfig = `import { defineConfig } from ${JSON.stringify(defineConfigModule)};
const token: string = 'OUTSIDE_TOKEN';
export default defineConfig({ sources: [{ kind: 'hubspot', tokenEnv: token }] });
`;

const importsNothing = `interface Source { kind: 'pipedrive'; apiTokenEnv: string }
const source: Source = { kind: 'pipedrive', apiTokenEnv: 'PD_TOKEN' };
export default { sources: [source] };
`;

describe('a config file outside the repository', () => {
  for (const packageType of [undefined, 'commonjs'] as const) {
    const where = packageType ? 'in a CommonJS package' : 'with no package.json';
    it(`loads when it imports defineConfig, ${where}`, async () => {
      const config = await loadConfig(userFolder(importsDefineConfig, packageType));
      expect(config.sources[0]).toMatchObject({ kind: 'hubspot', tokenEnv: 'OUTSIDE_TOKEN' });
    });

    it(`loads when it imports nothing, ${where}`, async () => {
      const config = await loadConfig(userFolder(importsNothing, packageType));
      expect(config.sources[0]).toMatchObject({ kind: 'pipedrive', apiTokenEnv: 'PD_TOKEN' });
    });
  }

  it('loads the TypeScript modules it imports from its own folder', async () => {
    const file = userFolder(
      `import { tokenEnv } from './credentials.ts';\nexport default { sources: [{ kind: 'hubspot', tokenEnv }] };\n`,
      'commonjs',
    );
    writeFileSync(join(dirname(file), 'credentials.ts'), `export const tokenEnv: string = 'HELPER_TOKEN';\n`);
    expect((await loadConfig(file)).sources[0]).toMatchObject({ tokenEnv: 'HELPER_TOKEN' });
  });

  it('runs as an ES module: top-level await and import.meta work', async () => {
    const file = userFolder(
      `import { fileURLToPath } from 'node:url';
const tokenEnv = await Promise.resolve('AWAITED_TOKEN');
const path: string = fileURLToPath(new URL('./next-to-config.duckdb', import.meta.url));
export default { sources: [{ kind: 'hubspot', tokenEnv }], warehouse: { kind: 'duckdb', path } };
`,
      'commonjs',
    );
    const config = await loadConfig(file);
    expect(config.sources[0]).toMatchObject({ tokenEnv: 'AWAITED_TOKEN' });
    expect(config.warehouse).toMatchObject({ path: join(dirname(file), 'next-to-config.duckdb') });
  });

  it('loads through a symlinked folder', async () => {
    const file = userFolder(
      `const tokenEnv = await Promise.resolve('LINKED_TOKEN');\nexport default { sources: [{ kind: 'hubspot', tokenEnv }] };\n`,
      'commonjs',
    );
    const link = join(mkdtempSync(join(tmpdir(), 'tide-link-')), 'pipelines');
    symlinkSync(dirname(file), link);
    expect((await loadConfig(join(link, 'pipeline.config.ts'))).sources[0]).toMatchObject({
      tokenEnv: 'LINKED_TOKEN',
    });
  });

  it('reads the file again on every load', async () => {
    const file = userFolder(`export default { sources: [{ kind: 'hubspot', tokenEnv: 'FIRST' }] };\n`);
    expect((await loadConfig(file)).sources[0]).toMatchObject({ tokenEnv: 'FIRST' });
    writeFileSync(file, `export default { sources: [{ kind: 'hubspot', tokenEnv: 'SECOND' }] };\n`);
    expect((await loadConfig(file)).sources[0]).toMatchObject({ tokenEnv: 'SECOND' });
  });

  it('loads through the tide binary itself (tsx registered for the whole process)', async () => {
    const file = userFolder(importsDefineConfig, 'commonjs');
    const warehouse = join(file, '..', 'w.duckdb');
    writeFileSync(
      file,
      importsDefineConfig.replace(
        'tokenEnv: token }] }',
        `tokenEnv: token }], warehouse: { kind: 'duckdb', path: ${JSON.stringify(warehouse)} } }`,
      ),
    );
    // `tide sql` opens the warehouse read-only: it must exist.
    const created = await openDuckdbWarehouse({ path: warehouse });
    await created.init();
    await created.close();
    const { stdout } = await run(
      process.execPath,
      [join(repo, 'bin/tide.mjs'), '--config', file, 'sql', 'select 41 + 1 as answer'],
      {
        cwd: tmpdir(),
        timeout: 30_000,
      },
    );
    expect(stdout).toContain('42');
  });
});

describe('a config file that fails to load', () => {
  async function failure(
    source: string,
  ): Promise<{ file: string; code: string; message: string; hint: string }> {
    const file = userFolder(source);
    try {
      await loadConfig(file);
    } catch (error) {
      const e = error as { code: string; message: string; hint: string };
      return { file, code: e.code, message: e.message, hint: e.hint };
    }
    throw new Error('expected the config to be rejected');
  }

  it('names the file and the position of a syntax error', async () => {
    const { file, code, message } = await failure(`export default { sources: [ };\n`);
    expect(code).toBe('config_invalid');
    expect(message).toContain(`${file} does not compile`);
    expect(message).toContain(':1:');
  });

  it('names the file and what it threw', async () => {
    const { file, code, message } = await failure(
      `const ready = false;\nif (!ready) {\n  throw new Error('set HUBSPOT_PORTAL first');\n}\nexport default {};\n`,
    );
    expect(code).toBe('config_invalid');
    expect(message).toContain(`${file} threw while loading`);
    expect(message).toContain('set HUBSPOT_PORTAL first');
  });

  it('says how to export the config when there is no default export', async () => {
    const { file, code, message, hint } = await failure(`export const config = { sources: [] };\n`);
    expect(code).toBe('config_invalid');
    expect(message).toBe(`${file} has no default export`);
    expect(hint).toContain('export default defineConfig');
  });

  it('exits the tide binary with code 2, the file and its TypeScript line on stderr', async () => {
    const file = userFolder(
      `type Ready = boolean;\nconst ready: Ready = false;\n\nif (!ready) throw new Error('broken on purpose');\n`,
    );
    const failed = await run(process.execPath, [join(repo, 'bin/tide.mjs'), '--config', file, 'status'], {
      timeout: 30_000,
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(ExitCode.invalidConfig);
    expect(failed?.stderr).toContain(`${file} threw while loading (line 4:`);
    expect(failed?.stderr).toContain('broken on purpose');
  });
});
