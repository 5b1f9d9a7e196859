import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { BigqueryClientLike } from '../../load/bigquery/bigquery-client-like.js';
import { bigqueryFixtureWith } from './bigquery-warehouse-fixture.js';
import { warehouseChecks } from './warehouse-checks.js';
import { WarehouseHarness } from './warehouse-harness.js';

/**
 * The BigQuery run of the conformance suite must be able to fail: each wrapper below breaks one
 * thing the BigQuery warehouse sends or reads (the suite itself, the double and the oracle stay as
 * they are), and the check that covers it goes red.
 */
async function runCheck(
  name: string,
  wrap: (client: BigqueryClientLike) => BigqueryClientLike,
): Promise<unknown> {
  const check = warehouseChecks[name];
  if (check === undefined) throw new Error(`no check named ${name}`);
  const harness = new WarehouseHarness(await bigqueryFixtureWith(wrap));
  await harness.start();
  try {
    await check(harness);
    return null;
  } catch (error) {
    return error;
  } finally {
    await harness.end();
  }
}

function passThrough(client: BigqueryClientLike, over: Partial<BigqueryClientLike>): BigqueryClientLike {
  return {
    createQueryJob: (options) => client.createQueryJob(options),
    job: (id, options) => client.job(id, options),
    dataset: (id) => client.dataset(id),
    ...over,
  };
}

describe('the BigQuery conformance run catches a broken BigQuery warehouse', () => {
  it('sanity: the unbroken wrapper passes', async () => {
    expect(
      await runCheck('the newest completed cursor wins, and committing null keeps it', (c) => c),
    ).toBeNull();
  });

  it('a cursor sent as text instead of a TIMESTAMP parameter', async () => {
    const error = await runCheck('the newest completed cursor wins, and committing null keeps it', (client) =>
      passThrough(client, {
        createQueryJob: (options) => {
          const params = options.params as Record<string, unknown> | undefined;
          const value = params?.cursor_value;
          return client.createQueryJob(
            value instanceof Date
              ? { ...options, params: { ...params, cursor_value: value.toISOString() } }
              : options,
          );
        },
      }),
    );
    expect(String(error)).toMatch(/not a timestamp/);
  });

  it('load files that lose the deleted flag', async () => {
    const error = await runCheck(
      'deleted records are flagged, and come back when a newer live version arrives',
      (client) =>
        passThrough(client, {
          dataset: (id) => ({
            table: (table) => ({
              createLoadJob: (path, metadata) => {
                const text = gunzipSync(readFileSync(path)).toString('utf8');
                writeFileSync(
                  path,
                  gzipSync(text.replaceAll('"_tide_deleted":true', '"_tide_deleted":false')),
                );
                return client.dataset(id).table(table).createLoadJob(path, metadata);
              },
              getMetadata: () => client.dataset(id).table(table).getMetadata(),
            }),
          }),
        }),
    );
    expect(String(error)).toMatch(/expected false to be true/);
  });

  it('a reader that stops after the first result page', async () => {
    const error = await runCheck(
      'query streams many rows, binds parameters and survives an early break',
      (client) =>
        passThrough(client, {
          createQueryJob: async (options) => {
            const [job, ...rest] = await client.createQueryJob(options);
            const read = job.getQueryResults.bind(job);
            job.getQueryResults = async (o) => {
              const [rows, , response] = await read(o);
              return [rows, null, response];
            };
            return [job, ...rest];
          },
        }),
    );
    expect(String(error)).toMatch(/expected \d+ to be 3000/);
  });
});
