import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load-config.js';
import { TideError } from '../../core/tide-error.js';
import { createBigqueryClient } from '../../load/bigquery/create-bigquery-client.js';
import { openBigqueryWarehouse } from '../../load/bigquery/open-bigquery-warehouse.js';
import { FAST, startDouble, testConfig } from './bigquery-test-client.js';

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

/** Runs `work` with these environment variables set (a string) or unset (undefined), then restores them. */
function withEnv<T>(vars: Readonly<Record<string, string | undefined>>, work: () => T): T {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Readonly<Record<string, string | undefined>>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    const result = work();
    if (result instanceof Promise) return result.finally(() => apply(before)) as T;
    apply(before);
    return result;
  } catch (error) {
    apply(before);
    throw error;
  }
}

/** ADC looks at GOOGLE_APPLICATION_CREDENTIALS first. */
const withAdc = <T>(file: string | undefined, work: () => T): T =>
  withEnv({ GOOGLE_APPLICATION_CREDENTIALS: file }, work);

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

  /** A service-account key file (never a real key: nothing here signs or sends anything). */
  function keyFile(name: string, email: string): string {
    const file = join(dir, name);
    writeFileSync(
      file,
      JSON.stringify({ type: 'service_account', client_email: email, private_key: 'SECRET-KEY' }),
    );
    return file;
  }

  it('uses the key file named by keyFileEnv, even when ADC would find another', async () => {
    const file = keyFile('key.json', 'tide@p.iam.gserviceaccount.com');
    const client = withAdc(keyFile('adc.json', 'adc@p.iam.gserviceaccount.com'), () =>
      createBigqueryClient(keyed, { TIDE_BQ_KEY: file }),
    );
    expect(client.projectId).toBe('tide-test-project');
    expect((await client.authClient.getCredentials()).client_email).toBe('tide@p.iam.gserviceaccount.com');
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

  it('without keyFileEnv leaves credentials to Application Default Credentials', async () => {
    const adc = keyFile('adc.json', 'adc@p.iam.gserviceaccount.com');
    const client = createBigqueryClient(testConfig(), { TIDE_BQ_KEY: keyFile('key.json', 'unused@p') });
    expect(client.projectId).toBe('tide-test-project');
    const credentials = await withAdc(adc, () => client.authClient.getCredentials());
    expect(credentials.client_email).toBe('adc@p.iam.gserviceaccount.com');
  });

  it('with no credentials anywhere, the first job fails as credentials_missing with what to do', async () => {
    // The real client as Tide builds it, sent to a double by the SDK's emulator variable. With no
    // credentials the SDK still sends the job (unauthenticated: BigQuery answers 401) and reports
    // ADC's own message, which Tide turns into what to do.
    const double = await startDouble();
    try {
      const error = await withEnv(
        {
          GOOGLE_APPLICATION_CREDENTIALS: undefined,
          BIGQUERY_EMULATOR_HOST: `${double.baseUrl}/bigquery/v2`,
        },
        () => openBigqueryWarehouse(testConfig(), { ...FAST, env: {} }).init(),
      ).then(
        () => null,
        (e: unknown) => e,
      );
      expect(double.requests.map((r) => r.kind)).toEqual(['insert']);
      expect(error).toBeInstanceOf(TideError);
      expect(error).toMatchObject({ code: 'credentials_missing' });
      expect((error as TideError).message).toMatch(
        /^BigQuery init failed \(job tide_init_[0-9a-f]{32}\): Could not load the default credentials/,
      );
      expect((error as TideError).hint).toMatch(
        /keyFileEnv.*GOOGLE_APPLICATION_CREDENTIALS.*gcloud auth application-default login/,
      );
    } finally {
      await double.close();
    }
  });
});
