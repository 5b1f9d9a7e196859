import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedSalesforceSimulator } from '../../../simulators/salesforce/start-salesforce-simulator.js';
import { latestById } from '../../conformance/read-stream.js';
import { checkMatchesTruth, checkRecordShape } from '../../conformance/source-checks.js';
import { drain } from './drain-stream.js';
import { later, salesforceSource, simNow, startSim, truthOf } from './salesforce-harness.js';

describe('Salesforce source: first load and incremental reads', () => {
  let sim: StartedSalesforceSimulator;
  beforeAll(async () => {
    sim = await startSim({ seed: 31, scale: 5000 });
  });
  afterAll(() => sim.close());

  it('declares every describe field as a column, custom ones included, addresses flattened into components', async () => {
    const columns = await salesforceSource(sim).stream('Contact').columns();
    const byName = new Map(columns.map((c) => [c.name, c]));
    expect(byName.get('Id')?.type).toBe('string');
    expect(byName.get('SystemModstamp')?.type).toBe('timestamp');
    expect(byName.get('Birthdate')?.type).toBe('date');
    expect(byName.get('Tide_Score__c')).toMatchObject({
      type: 'number',
      meta: { custom: 'true', updateable: 'true' },
    });
    expect(byName.get('Level__c')?.meta?.options).toBe('Primary;Secondary;Tertiary');
    expect(byName.get('Account_Industry__c')?.meta?.formula).toBe('TEXT(Account.Industry)');
    expect(byName.get('MailingCity')?.meta?.compoundField).toBe('MailingAddress');
    expect(byName.has('MailingAddress')).toBe(false);
    expect(byName.get('IsEmailBounced')?.type).toBe('boolean');
    const accounts = await salesforceSource(sim).stream('Account').columns();
    expect(accounts.find((c) => c.name === 'NumberOfEmployees')?.type).toBe('integer');
  });

  it('first load: Bulk API 2.0 (logged), exactly the org’s records, deleted ones flagged, typed values', async () => {
    const t = salesforceSource(sim);
    const first = await drain(t.stream('Contact'));
    expect(first.error).toBeNull();
    checkRecordShape(first.records);
    checkMatchesTruth(first.records, await truthOf(sim, 'Contact'));
    expect(first.log.text()).toMatch(/first-load: \d+ records since the beginning → Bulk API 2\.0/);
    expect(t.requests.rows().some((r) => r.endpoint === 'POST /services/data/v62.0/jobs/query')).toBe(true);
    // Bulk results are unordered: the only checkpoint comes at the end.
    expect(first.batches.slice(0, -1).every((b) => b.checkpoint === null)).toBe(true);
    expect(first.cursor).not.toBeNull();
    const sample = first.records.find((r) => r.fields.Birthdate !== null && !r.deleted)!;
    expect(sample.fields).toMatchObject({ IsDeleted: false, IsEmailBounced: false });
    expect('MailingAddress' in sample.fields).toBe(false);
    expect(sample.fields.SystemModstamp).toBe(sample.updatedAt);
    expect(sample.fields.Birthdate).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(sample.fields.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    const account = (await drain(t.stream('Account'))).records.find((r) => !r.deleted)!;
    expect(typeof account.fields.NumberOfEmployees).toBe('number');
    expect(typeof account.fields.AnnualRevenue).toBe('number');
  });

  it('REST queries and Bulk jobs produce identical records', async () => {
    const bulk = await drain(salesforceSource(sim).stream('Opportunity'));
    // With no Bulk jobs left for the day, a first load falls back to an ordered REST queryAll.
    const rest = await drain(salesforceSource(sim, { bulkJobsDailyCap: 0 }).stream('Opportunity'));
    expect(rest.log.text()).toContain('no Bulk query jobs are left today (bulkJobsDailyCap): REST instead');
    expect(rest.log.text()).toContain('→ REST queryAll');
    // Ordered by (SystemModstamp, Id), so every page is a checkpoint.
    expect(rest.batches.filter((b) => b.checkpoint !== null).length).toBe(rest.batches.length);
    expect(rest.error).toBeNull();
    const byId = latestById(bulk.records);
    expect(rest.records.length).toBe(bulk.records.length);
    for (const r of rest.records) expect(r).toEqual(byId.get(r.id));
  });

  it('an incremental read returns exactly the changes, deletes flagged, in a few calls however big the table', async () => {
    const t = salesforceSource(sim);
    const stream = t.stream('Contact');
    const first = await drain(stream);
    await later(sim);
    const m = (await sim.control.mutate({
      object: 'Contact',
      update: 9,
      create: 4,
      delete: 3,
      hardDelete: 2,
    })) as {
      updated: string[];
      created: string[];
      deleted: string[];
      hardDeleted: string[];
    };
    const before = t.requests.total();
    const second = await drain(stream, { cursor: first.cursor, runStartedAt: await simNow(sim) });
    expect(second.error).toBeNull();
    const changed = [...m.updated, ...m.created, ...m.deleted, ...m.hardDeleted].sort();
    expect(second.records.map((r) => r.id).sort()).toEqual(changed);
    const latest = latestById(second.records);
    for (const id of [...m.deleted, ...m.hardDeleted]) expect(latest.get(id)?.deleted).toBe(true);
    for (const id of [...m.updated, ...m.created]) expect(latest.get(id)?.deleted).toBe(false);
    // Hard-deleted records are gone from queryAll: only the deletion log names them (tombstones).
    for (const id of m.hardDeleted) expect(latest.get(id)?.fields).toEqual({ Id: id, IsDeleted: true });
    // COUNT(), the deletion log and one query page: the table's size does not matter.
    expect(t.requests.total() - before).toBe(3);
    // COUNT() over queryAll sees 16: the two hard-deleted records exist only in the deletion log.
    expect(second.log.text()).toMatch(/incremental: 16 records since .* → REST queryAll/);
    const truth = await truthOf(sim, 'Contact');
    for (const id of m.hardDeleted) truth.set(id, true);
    checkMatchesTruth([...first.records, ...second.records], truth);

    // Nothing changed since: the next read loads nothing new and its cursor does not go back.
    const third = await drain(stream, { cursor: second.cursor, runStartedAt: await simNow(sim) });
    expect(third.records).toEqual([]);
    expect(Date.parse(third.cursor!.value)).toBeGreaterThanOrEqual(Date.parse(second.cursor!.value));
  });

  it('switches to Bulk API 2.0 when COUNT() over the window exceeds bulkThreshold, and says so', async () => {
    const t = salesforceSource(sim, { bulkThreshold: 50 });
    const stream = t.stream('Lead');
    const first = await drain(stream);
    await later(sim);
    await sim.control.mutate({ object: 'Lead', update: 60 });
    const big = await drain(stream, { cursor: first.cursor, runStartedAt: await simNow(sim) });
    expect(big.log.text()).toContain('incremental: 60 records since');
    expect(big.log.text()).toContain('→ Bulk API 2.0');
    expect(big.log.text()).toContain('60 > bulkThreshold 50');
    expect(big.records).toHaveLength(60);
    await later(sim);
    await sim.control.mutate({ object: 'Lead', update: 50 });
    const small = await drain(stream, { cursor: big.cursor, runStartedAt: await simNow(sim) });
    expect(small.log.text()).toContain('→ REST queryAll');
    expect(small.records).toHaveLength(50);
  });
});
