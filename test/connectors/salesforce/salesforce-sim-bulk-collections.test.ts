import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedSalesforceSimulator } from '../../../simulators/salesforce/start-salesforce-simulator.js';
import { startSim } from './salesforce-harness.js';
import { type ErrorBody, type JobBody, type SaveResult, SimApi } from './sim-api.js';

describe('Salesforce simulator: Bulk API 2.0 query jobs', () => {
  let sim: StartedSalesforceSimulator;
  let api: SimApi;
  beforeAll(async () => {
    sim = await startSim({ scale: 2000 });
    api = await SimApi.login(sim);
  });
  afterAll(() => sim.close());

  const create = async (query: string, operation = 'query') =>
    api.send('POST', '/jobs/query', { operation, query, contentType: 'CSV', lineEnding: 'LF' });

  it('moves a job UploadComplete → InProgress → JobComplete, then pages CSV results by Sforce-Locator', async () => {
    const created = await create('SELECT Id, Email, IsDeleted, SystemModstamp FROM Contact', 'queryAll');
    const job = created.json as JobBody;
    expect([created.status, job.state]).toEqual([200, 'UploadComplete']);
    expect(job.id).toMatch(/^750/);
    expect((await api.get(`/jobs/query/${job.id}/results`)).status).toBe(412);
    expect(((await api.get(`/jobs/query/${job.id}`)).json as JobBody).state).toBe('InProgress');
    const done = (await api.get(`/jobs/query/${job.id}`)).json as JobBody;
    const contacts = sim.counts.Contact!;
    expect([done.state, done.numberRecordsProcessed]).toEqual(['JobComplete', contacts]);

    const rows: string[] = [];
    let locator: string | null = null;
    const locators: string[] = [];
    do {
      const page = await api.get(
        `/jobs/query/${job.id}/results?maxRecords=500${locator ? `&locator=${locator}` : ''}`,
      );
      expect(page.headers.get('content-type')).toContain('text/csv');
      const lines = page.text.trimEnd().split('\n');
      expect(lines[0]).toBe('"Id","Email","IsDeleted","SystemModstamp"');
      expect(Number(page.headers.get('sforce-numberofrecords'))).toBe(lines.length - 1);
      rows.push(...lines.slice(1));
      locator = page.headers.get('sforce-locator');
      locators.push(String(locator));
    } while (locator !== 'null');
    const expected = Array.from({ length: Math.ceil(contacts / 500) - 1 }, (_, i) =>
      Buffer.from(String((i + 1) * 500))
        .toString('base64')
        .replace(/=+$/, ''),
    );
    expect(locators).toEqual([...expected, 'null']);
    expect(locators[0]).toBe('NTAw');
    expect(rows).toHaveLength(contacts);
    expect(new Set(rows.map((r) => r.split(',')[0])).size).toBe(contacts);
    expect(rows.some((r) => r.includes('"true"'))).toBe(true);
    expect(rows[0]).toMatch(/^"003\w{15}","[^"]*","(true|false)","\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z"$/);
  });

  it('a job set to fail ends Failed with Salesforce’s errorMessage and serves no results', async () => {
    await sim.control.configure({
      bulkFailNext: 1,
      bulkFailMessage: 'InternalServerError: chunk 3 timed out',
    });
    const job = (await create('SELECT Id FROM Account')).json as JobBody;
    await api.get(`/jobs/query/${job.id}`);
    const failed = (await api.get(`/jobs/query/${job.id}`)).json as JobBody;
    expect([failed.state, failed.errorMessage]).toEqual(['Failed', 'InternalServerError: chunk 3 timed out']);
    expect((await api.get(`/jobs/query/${job.id}/results`)).status).toBe(412);
    // The next job is healthy again.
    const next = (await create('SELECT Id FROM Account')).json as JobBody;
    await api.get(`/jobs/query/${next.id}`);
    expect(((await api.get(`/jobs/query/${next.id}`)).json as JobBody).state).toBe('JobComplete');
  });

  it('refuses what Bulk API 2.0 refuses: aggregates, compound fields, bad SOQL, the daily job cap', async () => {
    expect(((await create('SELECT COUNT() FROM Contact')).json as ErrorBody)[0]?.errorCode).toBe(
      'INVALIDJOB',
    );
    expect(((await create('SELECT Id, MailingAddress FROM Contact')).json as ErrorBody)[0]?.errorCode).toBe(
      'FUNCTIONALITY_NOT_ENABLED',
    );
    const bad = (await create('SELECT Nope__c FROM Contact')).json as ErrorBody;
    expect(bad[0]?.message).toContain('INVALID_FIELD');
    await sim.control.configure({ bulkJobsDailyLimit: 1, bulkJobsToday: 1 });
    const capped = await create('SELECT Id FROM Contact');
    expect([capped.status, (capped.json as ErrorBody)[0]?.errorCode]).toEqual([400, 'LIMIT_EXCEEDED']);
    expect((await api.get('/limits')).json).toMatchObject({ DailyBulkV2QueryJobs: { Max: 1, Remaining: 0 } });
    await sim.control.configure({ bulkJobsDailyLimit: 10_000, bulkJobsToday: 0 });
  });

  it('aborts and deletes jobs', async () => {
    const job = (await create('SELECT Id FROM Lead')).json as JobBody;
    expect(
      ((await api.send('PATCH', `/jobs/query/${job.id}`, { state: 'Aborted' })).json as JobBody).state,
    ).toBe('Aborted');
    expect((await api.raw('DELETE', `/services/data/v62.0/jobs/query/${job.id}`)).status).toBe(204);
    expect((await api.get(`/jobs/query/${job.id}`)).status).toBe(404);
  });
});

describe('Salesforce simulator: sObject Collections', () => {
  let sim: StartedSalesforceSimulator;
  let api: SimApi;
  let contacts: string[];
  beforeAll(async () => {
    sim = await startSim({ scale: 300 });
    api = await SimApi.login(sim);
    const truth = (await sim.control.truth('Contact')) as { Id: string; IsDeleted: boolean }[];
    contacts = truth.filter((c) => !c.IsDeleted).map((c) => c.Id);
  });
  afterAll(() => sim.close());

  const record = (id: string, fields: Record<string, unknown>) => ({
    attributes: { type: 'Contact' },
    id,
    ...fields,
  });
  const titleOf = async (id: string) =>
    ((await sim.control.truth('Contact')) as { Id: string; Title: string }[]).find((c) => c.Id === id)?.Title;

  it('updates by id and reports one SaveResult per record, in input order, 200 even when some fail', async () => {
    const before = (await sim.control.stats()).writes;
    const res = await api.send('PATCH', '/composite/sobjects', {
      allOrNone: false,
      records: [
        record(contacts[0]!, { Title: 'Chief Scorer', Tide_Score__c: '0.75' }),
        record('003Tq0000000zzzIAA', { Title: 'Ghost' }),
        record(contacts[1]!, { Level__c: 'Galactic' }),
        record(contacts[2]!, { SystemModstamp: '2020-01-01T00:00:00Z' }),
        record(contacts[3]!, { Title: 'Still fine' }),
      ],
    });
    expect(res.status).toBe(200);
    const results = res.json as SaveResult[];
    expect(results.map((r) => [r.success, r.errors[0]?.statusCode])).toEqual([
      [true, undefined],
      [false, 'INVALID_CROSS_REFERENCE_KEY'],
      [false, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
      [false, 'INVALID_FIELD_FOR_INSERT_UPDATE'],
      [true, undefined],
    ]);
    expect(results[0]?.id).toBe(contacts[0]);
    expect(await titleOf(contacts[0]!)).toBe('Chief Scorer');
    expect(await titleOf(contacts[3]!)).toBe('Still fine');
    expect((await sim.control.stats()).writes).toBe(before + 1);
  });

  it('allOrNone rolls every record back when one fails', async () => {
    const before = await titleOf(contacts[5]!);
    const res = await api.send('PATCH', '/composite/sobjects', {
      allOrNone: true,
      records: [record(contacts[5]!, { Title: 'Never saved' }), record(contacts[6]!, { Bogus__c: 1 })],
    });
    const results = res.json as SaveResult[];
    expect(results.map((r) => r.errors[0]?.statusCode)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'INVALID_FIELD',
    ]);
    expect(await titleOf(contacts[5]!)).toBe(before);
  });

  it('takes at most 200 records per call', async () => {
    const records = Array.from({ length: 201 }, (_, i) =>
      record(contacts[i % contacts.length]!, { Title: 'x' }),
    );
    const res = await api.send('PATCH', '/composite/sobjects', { records });
    expect([res.status, (res.json as ErrorBody)[0]?.errorCode]).toEqual([400, 'EXCEEDED_ID_LIMIT']);
  });

  it('upserts by an external id field: creates, then updates the same record', async () => {
    const path = '/composite/sobjects/Contact/External_Id__c';
    const first = (
      await api.send('PATCH', path, {
        allOrNone: false,
        records: [
          {
            attributes: { type: 'Contact' },
            External_Id__c: 'ext-1',
            LastName: 'Okafor',
            Email: 'k@example.com',
          },
          { attributes: { type: 'Contact' }, External_Id__c: 'ext-2', Email: 'no-last-name@example.com' },
        ],
      })
    ).json as SaveResult[];
    expect(first.map((r) => [r.success, r.created, r.errors[0]?.statusCode])).toEqual([
      [true, true, undefined],
      [false, false, 'REQUIRED_FIELD_MISSING'],
    ]);
    const second = (
      await api.send('PATCH', path, {
        records: [{ attributes: { type: 'Contact' }, External_Id__c: 'EXT-1', Title: 'Updated' }],
      })
    ).json as SaveResult[];
    expect(second[0]).toMatchObject({ success: true, created: false, id: first[0]?.id });
    expect(await titleOf(first[0]!.id!)).toBe('Updated');
    const notExternal = await api.send('PATCH', '/composite/sobjects/Contact/Email', { records: [] });
    expect((notExternal.json as ErrorBody)[0]?.errorCode).toBe('INVALID_FIELD');
  });
});
