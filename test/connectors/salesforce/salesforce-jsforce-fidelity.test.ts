import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedSalesforceSimulator } from '../../../simulators/salesforce/start-salesforce-simulator.js';
import { later, startSim } from './salesforce-harness.js';

async function liveCount(sim: StartedSalesforceSimulator, object: string): Promise<number> {
  return ((await sim.control.truth(object)) as { IsDeleted: boolean }[]).filter((r) => !r.IsDeleted).length;
}

/**
 * The official SDK (jsforce 3.10.16) against the simulator: if jsforce can log in, page a query by
 * nextRecordsUrl, run a Bulk 2.0 query job and update records through sObject Collections, the
 * simulator speaks the same protocol Salesforce does.
 */
describe('jsforce against the Salesforce simulator', () => {
  let sim: StartedSalesforceSimulator;
  let conn: Connection;
  let contacts: { Id: string; IsDeleted: boolean }[];

  beforeAll(async () => {
    sim = await startSim({ seed: 21, scale: 4000, tokenTtlMs: 30 * 60_000 });
    conn = new Connection({
      oauth2: { clientId: sim.clientId, clientSecret: sim.clientSecret, loginUrl: sim.baseUrl },
      version: '62.0',
    });
    await conn.authorize({ grant_type: 'client_credentials' });
    contacts = (await sim.control.truth('Contact')) as { Id: string; IsDeleted: boolean }[];
  });
  afterAll(() => sim.close());

  it('logs in with client credentials and reads the org limits from Sforce-Limit-Info', async () => {
    expect(conn.instanceUrl).toBe(sim.baseUrl);
    expect(conn.userInfo?.organizationId).toMatch(/^00D/);
    await conn.query('SELECT COUNT() FROM Account');
    expect(conn.limitInfo.apiUsage?.limit).toBe(100_000);
    expect(conn.limitInfo.apiUsage?.used).toBeGreaterThan(0);
  });

  it('pages a SOQL query by nextRecordsUrl exactly as jsforce follows it', async () => {
    await sim.control.resetStats();
    const records: { Id: string; Email: string }[] = [];
    const result = await conn
      .query<{ Id: string; Email: string }>('SELECT Id, Email FROM Contact ORDER BY Id')
      .on('record', (r: { Id: string; Email: string }) => records.push(r))
      .run({ autoFetch: true, maxFetch: 100_000, headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    const live = contacts.filter((c) => !c.IsDeleted).map((c) => c.Id);
    expect(result.totalSize).toBe(live.length);
    expect(records.map((r) => r.Id)).toEqual(live);
    const stats = await sim.control.stats();
    expect(stats.byEndpoint['GET /services/data/v62.0/query']).toBe(1);
    expect(stats.byEndpoint['GET /services/data/v62.0/query/{id}']).toBe(Math.ceil(live.length / 500) - 1);
  });

  it('queryAll (scanAll) includes soft-deleted records', async () => {
    const all = await conn.query('SELECT Id, IsDeleted FROM Contact', {
      scanAll: true,
      autoFetch: true,
      maxFetch: 100_000,
    });
    expect(all.totalSize).toBe(contacts.length);
    expect(all.records.filter((r) => r.IsDeleted === true).length).toBe(
      contacts.filter((c) => c.IsDeleted).length,
    );
  });

  it('runs a Bulk API 2.0 query job (single results page) through conn.bulk2', async () => {
    conn.bulk2.pollInterval = 20;
    const stream = await conn.bulk2.query('SELECT Id, Name, Industry FROM Account', {
      pollInterval: 20,
      pollTimeout: 10_000,
    });
    const rows = (await stream.toArray()) as { Id: string; Name: string }[];
    expect(rows).toHaveLength(await liveCount(sim, 'Account'));
    expect(rows[0]?.Id).toMatch(/^001/);
  });

  it('pages a multi-page Bulk 2.0 result by Sforce-Locator (jsforce itself breaks on a second page)', async () => {
    await sim.control.configure({ bulkResultsPageSize: 1000 });
    const created = (await conn.request({
      method: 'POST',
      url: '/services/data/v62.0/jobs/query',
      body: JSON.stringify({ operation: 'query', query: 'SELECT Id FROM Contact' }),
      headers: { 'content-type': 'application/json' },
    })) as { id: string; state: string };
    let state = created.state;
    while (state !== 'JobComplete') {
      state = ((await conn.request(`/services/data/v62.0/jobs/query/${created.id}`)) as { state: string })
        .state;
      expect(state).not.toBe('Failed');
    }
    const ids: string[] = [];
    let locator = '';
    let pages = 0;
    do {
      const res = await fetch(
        `${conn.instanceUrl}/services/data/v62.0/jobs/query/${created.id}/results${locator ? `?locator=${locator}` : ''}`,
        {
          headers: { authorization: `Bearer ${conn.accessToken}`, accept: 'text/csv' },
        },
      );
      ids.push(
        ...(await res.text())
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.replace(/"/g, '')),
      );
      locator = res.headers.get('sforce-locator') ?? 'null';
      pages++;
    } while (locator !== 'null');
    expect(pages).toBe(Math.ceil(contacts.filter((c) => !c.IsDeleted).length / 1000));
    expect(ids).toEqual(contacts.filter((c) => !c.IsDeleted).map((c) => c.Id));
    await sim.control.configure({ bulkResultsPageSize: 50_000 });
  });

  it('updates records through sObject Collections (conn.sobject().update with an array)', async () => {
    await sim.control.resetStats();
    const targets = contacts.filter((c) => !c.IsDeleted).slice(0, 3);
    const results = await conn.sobject('Contact').update([
      { Id: targets[0]!.Id, Title: 'Scored', Tide_Score__c: 0.91 },
      { Id: '003Tq0000000zzzIAA', Title: 'Nobody' },
      { Id: targets[1]!.Id, Title: 'Scored too' },
    ]);
    expect(results.map((r) => r.success)).toEqual([true, false, true]);
    expect(results[0]?.id).toBe(targets[0]!.Id);
    expect((results[1] as { errors: { statusCode: string }[] }).errors[0]?.statusCode).toBe(
      'INVALID_CROSS_REFERENCE_KEY',
    );
    const stats = await sim.control.stats();
    expect(stats.byEndpoint['PATCH /services/data/v62.0/composite/sobjects']).toBe(1);
    const truth = (await sim.control.truth('Contact')) as {
      Id: string;
      Title: string;
      Tide_Score__c: number;
    }[];
    expect(truth.find((c) => c.Id === targets[0]!.Id)).toMatchObject({
      Title: 'Scored',
      Tide_Score__c: 0.91,
    });
  });

  it('refreshes an expired session on 401 INVALID_SESSION_ID (refresh-token flow)', async () => {
    const refreshing = new Connection({
      oauth2: { clientId: sim.clientId, clientSecret: sim.clientSecret, loginUrl: sim.baseUrl },
      instanceUrl: sim.baseUrl,
      accessToken: 'expired',
      refreshToken: sim.refreshToken,
      version: '62.0',
    });
    let refreshed = 0;
    refreshing.on('refresh', () => refreshed++);
    await later(sim, 31 * 60_000);
    const count = await refreshing.query('SELECT COUNT() FROM Lead');
    expect(count.totalSize).toBe(await liveCount(sim, 'Lead'));
    expect(refreshed).toBe(1);
  });
});
