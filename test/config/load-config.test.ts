import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../config/load-config.js';
import { TideError } from '../../core/tide-error.js';

function problems(input: unknown): string {
  try {
    parseConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(TideError);
    expect((error as TideError).code).toBe('config_invalid');
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('config validation', () => {
  it('accepts the demo shape and fills defaults', () => {
    const config = parseConfig({ sources: [{ kind: 'hubspot', tokenEnv: 'HUBSPOT_TOKEN' }] });
    expect(config.sources[0]?.name).toBe('hubspot');
    expect(config.warehouse).toMatchObject({ kind: 'duckdb', path: './tide.duckdb' });
  });

  it('reports every problem with its path', () => {
    const message = problems({
      sources: [
        { kind: 'hubspot', streams: ['contacts', 'nope'] },
        { kind: 'hubspot', tokenEnv: 'lower case', burstLimit: -1 },
      ],
      warehouse: { kind: 'duckdb', path: '' },
    });
    expect(message).toContain('sources[0].tokenEnv: required');
    expect(message).toContain('sources[0].streams[1]');
    expect(message).toContain('sources[1].tokenEnv');
    expect(message).toContain('sources[1].burstLimit');
    expect(message).toContain('warehouse.path');
  });

  it('takes DuckDB memory limits as sizes and names a malformed one', () => {
    const config = parseConfig({
      sources: [{ kind: 'hubspot', tokenEnv: 'T' }],
      warehouse: { kind: 'duckdb', memoryLimit: '2GB', loadMemoryLimit: '512MB' },
    });
    expect(config.warehouse).toMatchObject({ memoryLimit: '2GB', loadMemoryLimit: '512MB' });
    const message = problems({
      sources: [{ kind: 'hubspot', tokenEnv: 'T' }],
      warehouse: { kind: 'duckdb', memoryLimit: 'lots' },
    });
    expect(message).toContain('warehouse.memoryLimit');
    expect(message).toContain('a size such as 512MB or 2GB');
  });

  it('rejects unknown keys, unknown CRM kinds and duplicate source names', () => {
    expect(problems({ sources: [{ kind: 'hubspot', tokenEnv: 'T', tokn: 'x' }] })).toMatch(
      /sources\[0\].*tokn/,
    );
    expect(problems({ sources: [{ kind: 'hubspott', tokenEnv: 'T' }] })).toContain('sources[0].kind');
    expect(
      problems({
        sources: [
          { kind: 'hubspot', tokenEnv: 'T' },
          { kind: 'hubspot', tokenEnv: 'U' },
        ],
      }),
    ).toContain('sources[1].name: duplicate source name "hubspot"');
  });

  it('loads a TypeScript config file and names a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tide-config-'));
    const file = join(dir, 'pipeline.config.ts');
    writeFileSync(
      file,
      `export default { sources: [{ kind: 'hubspot', tokenEnv: 'HS_TOKEN', streams: ['contacts'] }] };\n`,
    );
    const config = await loadConfig(file);
    expect(config.sources[0]).toMatchObject({ tokenEnv: 'HS_TOKEN', streams: ['contacts'] });
    await expect(loadConfig(join(dir, 'missing.ts'))).rejects.toMatchObject({ code: 'config_not_found' });
  });
});
