import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BigqueryDouble } from './bigquery-double.js';
import { sdkClient, startDouble } from './bigquery-test-client.js';

/**
 * The double earns its keep only if it rejects what BigQuery rejects. Each request below is sent by
 * the real SDK and is wrong in one way.
 */
let double: BigqueryDouble;
let dir: string;
beforeEach(async () => {
  double = await startDouble();
  dir = await mkdtemp(join(tmpdir(), 'tide-bq-double-'));
});
afterEach(async () => {
  await double.close();
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String((error as Error).message);
  }
  throw new Error('expected the double to refuse the request');
}

describe('BigQuery double refuses what BigQuery refuses', () => {
  it('query parameters the endpoint does not define (the SDK leaks `skipParsing` into the URL)', async () => {
    const bq = sdkClient(double);
    const [job] = await bq.createQueryJob({ query: 'SELECT 1', location: 'EU' });
    expect(await rejection(job.getQueryResults({ skipParsing: true }))).toMatch(
      /Unknown name "skipParsing": Cannot bind query parameter/,
    );
  });

  it('a load configuration field BigQuery does not define', async () => {
    const file = join(dir, 'a.ndjson');
    await writeFile(file, '{"a":"x"}\n');
    const table = sdkClient(double).dataset('tide').table('t');
    const metadata = {
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      schema: { fields: [{ name: 'a', type: 'STRING' }] },
      schemaUpdateOption: ['ALLOW_FIELD_ADDITION'],
    };
    expect(await rejection(table.createLoadJob(file, metadata as never))).toMatch(
      /Unrecognized key.*schemaUpdateOption/,
    );
    expect(
      await rejection(
        table.createLoadJob(file, {
          sourceFormat: 'NEWLINE_DELIMITED_JSON',
          schema: { fields: [{ name: 'a', type: 'STRING' }] },
          writeDisposition: 'WRITE_TRUNCATE',
          schemaUpdateOptions: ['ALLOW_FIELD_ADDITION'],
        }),
      ),
    ).toMatch(/schemaUpdateOptions can only be specified with WRITE_APPEND/);
  });

  it('load rows with unknown fields or values of the wrong type', async () => {
    const file = join(dir, 'b.ndjson');
    await writeFile(file, '{"a":"x","b":1}\n{"a":true}\n');
    const [job] = await sdkClient(double)
      .dataset('tide')
      .table('t')
      .createLoadJob(file, {
        sourceFormat: 'NEWLINE_DELIMITED_JSON',
        schema: { fields: [{ name: 'a', type: 'STRING' }] },
      });
    const [metadata] = await job.getMetadata();
    expect(metadata.status?.errorResult?.message).toMatch(/errors: 2\. First: line 1: no such field: b/);
  });

  it('SQL that is not GoogleSQL, and parameters that do not match the SQL', async () => {
    const bq = sdkClient(double);
    const failed = async (query: string, params?: unknown[] | Record<string, unknown>) => {
      const message = await rejection(
        bq.createQueryJob({ query, location: 'EU', ...(params ? { params } : {}) }),
      );
      return message;
    };
    expect(await failed('SELECT * FROM "double quoted table"')).toMatch(/Syntax error/);
    expect(await failed('SELECT @a, @b', { a: 1 })).toMatch(/Query parameter 'b' not found/);
    expect(await failed('SELECT ?, ?', [1])).toMatch(/2 positional parameters but 1 were given/);
  });

  it('job ids BigQuery would not accept, and job lookups in the wrong location', async () => {
    const bq = sdkClient(double);
    expect(await rejection(bq.createQueryJob({ query: 'SELECT 1', jobId: 'has space' }))).toMatch(/jobId/);
    const [job] = await bq.createQueryJob({ query: 'SELECT 1', location: 'EU' });
    expect(await rejection(bq.job(job.id ?? '', { location: 'US' }).getMetadata())).toMatch(/Not found: Job/);
  });
});
