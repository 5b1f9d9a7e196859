import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load-config.js';
import { TideError } from '../../errors/tide-error.js';
import { createBigqueryClient } from '../../load/bigquery/create-bigquery-client.js';
import { testConfig } from './bigquery-test-client.js';

const source = { kind: 'hubspot', tokenEnv: 'HUBSPOT_TOKEN' };

function rejected(warehouse: unknown): string {
  try {
    parseConfig({ sources: [source], warehouse });
  } catch (error) {
    expect(error).toBeInstanceOf(TideError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

function clientError(config: Parameters<typeof createBigqueryClient>[0], env: NodeJS.ProcessEnv): TideError {
  try {
    createBigqueryClient(config, env);
  } catch (error) {
    expect(error).toBeInstanceOf(TideError);
    return error as TideError;
  }
  throw new Error('expected createBigqueryClient to fail');
}

describe('BigQuery warehouse config', () => {
  it('accepts the documented shape and fills defaults', () => {
    const config = parseConfig({
      sources: [source],
      warehouse: { kind: 'bigquery', projectId: 'acme-analytics' },
    });
    expect(config.warehouse).toEqual({
      kind: 'bigquery',
      projectId: 'acme-analytics',
      location: 'US',
      batchSize: 250_000,
    });
    const full = parseConfig({
      sources: [source],
      warehouse: {
        kind: 'bigquery',
        projectId: 'acme-analytics',
        location: 'europe-west3',
        keyFileEnv: 'TIDE_BQ_KEY',
        batchSize: 50_000,
      },
    });
    expect(full.warehouse).toMatchObject({
      location: 'europe-west3',
      keyFileEnv: 'TIDE_BQ_KEY',
      batchSize: 50_000,
    });
  });

  it('names each bad key', () => {
    const message = rejected({
      kind: 'bigquery',
      projectId: 'Acme Analytics',
      location: 'somewhere over the rainbow',
      keyFileEnv: '/path/to/key.json',
      datasetPrefix: 'crm_',
    });
    expect(message).toContain('warehouse.projectId');
    expect(message).toContain('warehouse.location');
    expect(message).toContain('warehouse.keyFileEnv');
    // No dataset prefix: datasets carry the schema names every stage's SQL uses.
    expect(message).toMatch(/warehouse.*datasetPrefix/);
    expect(rejected({ kind: 'bigquery' })).toContain('warehouse.projectId: required');
  });
});

describe('BigQuery credentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tide-bq-key-'));
  const keyed = testConfig({ keyFileEnv: 'TIDE_BQ_KEY' });

  it('uses the key file named by keyFileEnv', () => {
    const file = join(dir, 'key.json');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'service_account',
        client_email: 'tide@p.iam.gserviceaccount.com',
        private_key: 'SECRET-KEY',
      }),
    );
    const client = createBigqueryClient(keyed, { TIDE_BQ_KEY: file });
    expect(client.projectId).toBe('tide-test-project');
  });

  it('says which variable is missing', () => {
    const error = clientError(keyed, {});
    expect(error.code).toBe('credentials_missing');
    expect(error.message).toBe('TIDE_BQ_KEY is not set');
    expect(error.hint).toMatch(/service-account JSON key file/);
  });

  it('names a key file that cannot be read', () => {
    const error = clientError(keyed, { TIDE_BQ_KEY: join(dir, 'nope.json') });
    expect(error.code).toBe('credentials_missing');
    expect(error.message).toContain('nope.json, which cannot be read');
  });

  it('refuses a file that is not a service-account key, without echoing it', () => {
    const notJson = join(dir, 'oops.txt');
    writeFileSync(notJson, '-----BEGIN PRIVATE KEY----- SECRET-KEY');
    const a = clientError(keyed, { TIDE_BQ_KEY: notJson });
    expect(a.code).toBe('credentials_rejected');
    const userKey = join(dir, 'user.json');
    writeFileSync(userKey, JSON.stringify({ type: 'authorized_user', refresh_token: 'SECRET-KEY' }));
    const b = clientError(keyed, { TIDE_BQ_KEY: userKey });
    expect(b.message).toMatch(/is not a service-account key/);
    for (const e of [a, b]) expect(`${e.message} ${e.hint}`).not.toContain('SECRET-KEY');
  });

  it('without keyFileEnv leaves credentials to Application Default Credentials', () => {
    expect(createBigqueryClient(testConfig(), {}).projectId).toBe('tide-test-project');
  });
});
