import { afterEach, describe, expect, it } from 'vitest';
import { runExtract } from '../../../extract/run-extract.js';
import { openDuckdbWarehouse } from '../../../load/duckdb/duckdb-warehouse.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import { readStream } from '../../conformance/read-stream.js';
import {
  type ActiveCampaignTestbed,
  activecampaignTestbed,
  mutate,
  readContext,
  simNow,
  TOKEN_ENV,
  truthRows,
} from './activecampaign-harness.js';

let bed: ActiveCampaignTestbed | null = null;
afterEach(async () => {
  await bed?.sim.close();
  bed = null;
});

async function open(...args: Parameters<typeof activecampaignTestbed>): Promise<ActiveCampaignTestbed> {
  bed = await activecampaignTestbed(...args);
  return bed;
}

/** A read as the runner does it, starting at the simulator's now. */
async function read(
  b: ActiveCampaignTestbed,
  stream: string,
  cursor: Awaited<ReturnType<typeof readStream>>['cursor'],
) {
  return readStream(b.stream(stream), await readContext(b, cursor));
}

describe('ActiveCampaign source: records', () => {
  it('pivots contact custom fields to columns named by their title; a field added later shows up', async () => {
    const b = await open();
    const columns = (await b.stream('contacts').columns()).map((c) => c.name);
    expect(columns).toEqual(
      expect.arrayContaining(['email', 'firstName', 'udate', 'Job Title', 'City', 'Country', 'Tide Score']),
    );
    const first = await read(b, 'contacts', null);
    const truth = await truthRows(b.sim, 'contacts');
    expect(first.records).toHaveLength(truth.length);
    const sample = truth.find(
      (c) => c.fields?.['JOB_TITLE'] !== undefined && c.fields?.['CITY'] !== undefined,
    )!;
    expect(first.records.find((r) => r.id === sample.id)?.fields).toMatchObject({
      email: sample['email'],
      'Job Title': sample.fields?.['JOB_TITLE'],
      City: sample.fields?.['CITY'],
      'Tide Score': null,
    });
    await b.sim.control.configure({ addField: { title: 'Favourite Colour' } });
    await b.sim.control.advanceClock(1_000);
    const { ids } = await mutate(b.sim, {
      object: 'contacts',
      update: 3,
      setFields: { 'Favourite Colour': 'teal' },
    });
    const second = await read(b, 'contacts', first.cursor);
    expect(second.records.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const r of second.records) expect(r.fields['Favourite Colour']).toBe('teal');
  });

  it('accounts carry their custom field data; deals their value in cents and links', async () => {
    const b = await open();
    const accounts = await read(b, 'accounts', null);
    const data = (await truthRows(b.sim, 'account_fields')) as unknown as {
      accountId: number;
      customFieldId: number;
      fieldValue: string;
    }[];
    const industry = data.find((d) => d.customFieldId === 1)!;
    expect(accounts.records.find((r) => r.id === String(industry.accountId))?.fields['Industry']).toBe(
      industry.fieldValue,
    );
    const deals = await read(b, 'deals', null);
    const deal = (await truthRows(b.sim, 'deals'))[0]!;
    expect(deals.records.find((r) => r.id === deal.id)?.fields).toMatchObject({
      value: Number(deal['value']),
      contact: deal['contact'],
      status: deal['status'],
    });
  });
});

describe('ActiveCampaign source: incremental reads in the account time', () => {
  for (const offset of [-300, 330]) {
    it(`reads exactly the changes at UTC${offset < 0 ? '-' : '+'}${Math.abs(offset / 60)} h, though a filter in UTC would not`, async () => {
      const b = await open({ utcOffsetMinutes: offset });
      const first = await read(b, 'contacts', null);
      await b.sim.control.advanceClock(1_000);
      await mutate(b.sim, { object: 'contacts', update: 1 });
      // A cursor at the account's now: the next changes come seconds after it.
      const second = await read(b, 'contacts', first.cursor);
      await b.sim.control.advanceClock(1_000);
      const { ids } = await mutate(b.sim, { object: 'contacts', update: 5 });
      const third = await read(b, 'contacts', second.cursor);
      expect(third.records.map((r) => r.id).sort()).toEqual([...ids].sort());
      // The trap the conversion avoids: the cursor's UTC digits, read by the account as its own time.
      const utcDigits = (second.cursor?.value ?? '').slice(0, 19);
      const res = await fetch(
        `${b.sim.baseUrl}/api/3/contacts?filters[updated_after]=${utcDigits}&limit=100`,
        {
          headers: { 'Api-Token': b.sim.apiToken },
        },
      );
      const naive = ((await res.json()) as { contacts: { id: string }[] }).contacts.map((c) => c.id);
      if (offset < 0) expect(naive).toEqual([]);
      else expect(naive).toEqual(expect.arrayContaining(ids));
    });
  }

  it('finds contacts created without a udate through created_after', async () => {
    const b = await open();
    const first = await read(b, 'contacts', null);
    await b.sim.control.advanceClock(1_000);
    const { created } = await mutate(b.sim, { object: 'contacts', create: 3, nullUdate: true });
    const second = await read(b, 'contacts', first.cursor);
    expect(second.records.map((r) => r.id).sort()).toEqual([...created].sort());
    for (const r of second.records) expect(r.fields['udate']).toBeNull();
  });

  it('ties at one second across pages are neither lost nor read twice', async () => {
    const b = await open({ scale: 800, share: 0.5 }, { reconcileDeletesEveryHours: null });
    const first = await read(b, 'contacts', null);
    await b.sim.control.advanceClock(1_000);
    const { ids } = await mutate(b.sim, { object: 'contacts', update: 150, sameInstant: true });
    const second = await read(b, 'contacts', first.cursor);
    expect(second.records.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(second.cursor?.ids).toHaveLength(150);
    const third = await read(b, 'contacts', second.cursor);
    expect(third.records).toEqual([]);
  });

  it('asks an empty page again when meta.total says more records remain', async () => {
    const b = await open();
    await b.sim.control.faults({ emptyPages: 2 });
    const first = await read(b, 'contacts', null);
    expect(first.records).toHaveLength((await truthRows(b.sim, 'contacts')).length);
    expect(await b.sim.control.pendingFaults()).toBe(0);
  });
});

describe('ActiveCampaign source: deletes without a deletions feed', () => {
  it('lists every contact id on the reconciliation cadence only, and the load marks the rest deleted', async () => {
    const b = await open({}, { reconcileDeletesEveryHours: 24 });
    const first = await read(b, 'contacts', null);
    expect(first.listed).toBeNull();
    // No deletions feed and no listing yet: the first load does not claim to have checked deletes.
    expect(first.deletesCheckedAt).toBeNull();
    const { deleted } = await mutate(b.sim, { object: 'contacts', delete: 2 });
    // Runs start 5 s into a new UTC day, so the "same day" below cannot straddle a midnight.
    const now = (await simNow(b.sim)).getTime();
    await b.sim.control.advanceClock(Math.ceil(now / 86_400_000) * 86_400_000 + 5_000 - now);
    // The first incremental run of the day lists every id; its cursor moves to the run's start.
    const ctx = await readContext(b, first.cursor);
    const second = await readStream(b.stream('contacts'), ctx);
    expect(second.listed?.size).toBe((await truthRows(b.sim, 'contacts')).length);
    for (const id of deleted) expect(second.listed?.has(id)).toBe(false);
    expect(second.cursor).toEqual({ value: ctx.runStartedAt.toISOString(), ids: [] });
    expect(second.deletesCheckedAt).toBe(ctx.runStartedAt.toISOString());
    // Later runs that day do not list again; the first run of the next day does.
    const third = await read(b, 'contacts', second.cursor);
    expect(third.listed).toBeNull();
    expect(third.deletesCheckedAt).toBeNull();
    await b.sim.control.advanceClock(24 * 3_600_000);
    expect((await read(b, 'contacts', third.cursor)).listed).not.toBeNull();
  });

  it('end to end: hard-deleted contacts, deals, accounts and notes end up deleted in the warehouse', async () => {
    const b = await open({}, { reconcileDeletesEveryHours: 0 });
    const warehouse = await openDuckdbWarehouse({ path: ':memory:' });
    await warehouse.init();
    try {
      const streams = ['contacts', 'deals', 'accounts', 'notes', 'account_contacts'];
      const extract = async () =>
        runExtract({
          runId: `r-${Math.random()}`,
          warehouse,
          plan: streams.map((s) => ({
            source: b.source,
            stream: b.stream(s),
            startDate: null,
            fullRefresh: false,
          })),
          concurrency: 3,
          checkpointEvery: 50,
          log: new MemoryLogger(),
          progress: { page: () => {} },
          now: () => new Date(),
        });
      expect((await extract()).status).toBe('ok');
      for (const object of streams) await mutate(b.sim, { object, delete: 2 });
      await b.sim.control.advanceClock(1_000);
      expect((await extract()).status).toBe('ok');
      for (const object of streams) {
        const rows: { id: string; deleted: boolean }[] = [];
        for await (const row of warehouse.query(
          `select _tide_id as id, _tide_deleted as deleted from raw.activecampaign__${object}`,
        ))
          rows.push({ id: String(row['id']), deleted: row['deleted'] === true });
        // Deleting a contact also removes its account links: all that left the CRM is deleted here.
        const truth = new Set((await truthRows(b.sim, object)).map((r) => r.id));
        expect(rows.filter((r) => r.deleted).length, object).toBeGreaterThanOrEqual(2);
        expect(
          rows.filter((r) => r.deleted === truth.has(r.id)),
          object,
        ).toEqual([]);
        expect(rows.filter((r) => !r.deleted).length, object).toBe(truth.size);
      }
    } finally {
      await warehouse.close();
    }
  });

  it('full-read streams emit only changes but list every id; users are kept by ids and hashes', async () => {
    const b = await open();
    const first = await read(b, 'notes', null);
    await b.sim.control.advanceClock(1_000);
    const { updated, deleted } = await mutate(b.sim, { object: 'notes', update: 2, delete: 1 });
    const second = await read(b, 'notes', first.cursor);
    expect(second.records.map((r) => r.id).sort()).toEqual([...updated].sort());
    expect(second.listed?.size).toBe(first.records.length - 1);
    expect(second.listed?.has(deleted[0]!)).toBe(false);
    const users = await read(b, 'users', null);
    expect(users.records).toHaveLength(4);
    const again = await read(b, 'users', users.cursor);
    expect(again.records).toEqual([]);
    expect(again.listed?.size).toBe(4);
  });
});

describe('ActiveCampaign source: the account limit and errors', () => {
  it('paces every stream and the writer on one 5-per-second budget at the real limit', async () => {
    const b = await open({ scale: 800, share: 0.3, rateLimit: 5 });
    const fields = await b.destination.fields('contacts');
    const ids = (await truthRows(b.sim, 'contacts')).slice(0, 6).map((c) => c.id);
    const target = {
      object: 'contacts',
      match: { by: 'id', column: 'id' } as const,
      matchField: null,
      operation: 'update' as const,
      fields: new Map([['TIDE_SCORE', fields.find((f) => f.name === 'TIDE_SCORE')!]]),
    };
    await Promise.all([
      readStream(b.stream('contacts')),
      readStream(b.stream('deals')),
      readStream(b.stream('notes')),
      readStream(b.stream('account_contacts')),
      b.destination.write(
        target,
        ids.map((id) => ({ key: id, matchValue: id, values: { TIDE_SCORE: '9' } })),
      ),
    ]);
    // Four callers with a budget each would offer 20 requests a second against 5 and draw 429s for
    // most of them; one shared budget draws none but for jitter (the simulator shares this process's
    // event loop, so a stall can bunch arrivals): a quarter tells the two apart on a loaded machine.
    const stats = await b.sim.control.stats();
    expect(stats.total).toBeGreaterThan(20);
    expect((stats.byStatus['429'] ?? 0) * 4).toBeLessThan(stats.total);
  });

  it('waits out a 429 by Retry-After and retries a 503, reading everything once', async () => {
    const b = await open();
    await b.sim.control.faults({ rateLimit: 1, serverErrors: 1 });
    const first = await read(b, 'contacts', null);
    expect(first.records).toHaveLength((await truthRows(b.sim, 'contacts')).length);
    expect(new Set(first.records.map((r) => r.id)).size).toBe(first.records.length);
    const stats = await b.sim.control.stats();
    expect(stats.byStatus['429']).toBe(1);
    expect(stats.byStatus['503']).toBe(1);
  });

  it('a refused token is a clear error naming the variable, never the token', async () => {
    const b = await open({ apiToken: 'the-real-token' });
    const { activecampaignOn } = await import('./activecampaign-harness.js');
    const wrong = activecampaignOn(b.sim, {}, {}, { [TOKEN_ENV]: 'a-stale-token-value' });
    const error = await wrong.source.check().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'credentials_rejected' });
    expect(String((error as Error).message)).toContain(TOKEN_ENV);
    expect(String((error as Error).message)).not.toContain('a-stale-token-value');
  });
});
