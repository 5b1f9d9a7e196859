import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CursorState } from '../../../core/cursor-state.js';
import { TideError } from '../../../core/tide-error.js';
import { runExtract } from '../../../extract/run-extract.js';
import type { Warehouse } from '../../../load/warehouse.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import { latestById } from '../../conformance/read-stream.js';
import { memoryWarehouse, rowsOf } from '../../reverse/warehouse-fixture.js';
import { drain } from '../salesforce/drain-stream.js';
import {
  readContext,
  simNow,
  truthOf,
  type ZohoTestbed,
  zohoHarness,
  zohoSourceFor,
  zohoTestbed,
} from './zoho-harness.js';

let t: ZohoTestbed;
beforeAll(async () => {
  t = await zohoTestbed({ seed: 21, scale: 3000 });
});
afterAll(() => t.sim.close());

async function extract(
  warehouse: Warehouse,
  testbed: ZohoTestbed,
  streams: readonly string[],
  runId: string,
) {
  return runExtract({
    runId,
    warehouse,
    plan: testbed.source
      .streams()
      .filter((s) => streams.includes(s.name))
      .map((stream) => ({ source: testbed.source, stream, startDate: null, fullRefresh: false })),
    concurrency: 2,
    checkpointEvery: 500,
    log: new MemoryLogger(),
    progress: { page: () => {} },
    now: () => new Date(Date.now() + 3_600_000),
  });
}

async function warehouseMatchesTruth(warehouse: Warehouse, table: string, module: string): Promise<void> {
  const rows = await rowsOf(warehouse, `select _tide_id as id, _tide_deleted as deleted from raw.${table}`);
  const loaded = new Map(rows.map((r) => [String(r.id), r.deleted === true]));
  const truth = new Map((await truthOf(t.sim, module)).map((r) => [r.id, r.deleted]));
  // Every record the CRM knows, deleted ones flagged (those deleted before the first load as well).
  expect(loaded).toEqual(truth);
}

describe('Zoho source', () => {
  it('first load through Bulk Read, then increments through the Records API: warehouse = truth, calls grow with N', async () => {
    const warehouse = await memoryWarehouse();
    try {
      const testbed = zohoSourceFor(t.sim);
      // Deleted before the first load: it brings them all the same, flagged.
      await t.sim.control.mutate({ object: 'Contacts', delete: 2 });
      const first = await extract(warehouse, testbed, ['Contacts', 'Accounts'], 'r1');
      expect(first.status).toBe('ok');
      expect(testbed.requests.rows().some((r) => r.endpoint === 'POST /crm/bulk/v8/read')).toBe(true);
      await warehouseMatchesTruth(warehouse, `${testbed.config.name}__contacts`, 'Contacts');

      const callsFor = async (n: number, run: string): Promise<number> => {
        await t.sim.control.advanceClock(2_000);
        await t.sim.control.mutate({ object: 'Contacts', update: n, delete: 2 });
        const before = (await t.sim.control.stats()).total;
        const summary = await extract(warehouse, testbed, ['Contacts'], run);
        expect(summary.status).toBe('ok');
        await warehouseMatchesTruth(warehouse, `${testbed.config.name}__contacts`, 'Contacts');
        return (await t.sim.control.stats()).total - before;
      };
      const few = await callsFor(10, 'r2');
      const many = await callsFor(700, 'r3');
      expect(few).toBeLessThanOrEqual(4);
      expect(many).toBeGreaterThan(few + 2);
      expect(
        testbed.requests
          .rows()
          .filter((r) => r.endpoint === 'POST /crm/bulk/v8/read')
          .map((r) => r.count),
      ).toEqual([2]);
    } finally {
      await warehouse.close();
    }
  });

  it('reads a tie of 250 records at one Modified_Time across pages exactly once, and resumes inside it', async () => {
    const h = zohoHarness(t, ['Leads']);
    const stream = t.stream('Leads');
    const first = await drain(stream, await readContext(t, null));
    const tied = await h.source.mutate('Leads', 250, { sameInstant: true });
    const ctx = await readContext(t, first.cursor);
    const second = await drain(stream, ctx);
    expect(second.error).toBeNull();
    const ids = second.records.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...tied].sort());
    // A crash after the first page: the next run starts from that checkpoint and loads only the rest.
    const afterPage = second.batches.find((b) => b.checkpoint !== null && b.records.length > 0)!.checkpoint!;
    const resumed = await drain(stream, { ...ctx, cursor: afterPage });
    const firstPage = new Set(
      second.batches.find((b) => b.checkpoint === afterPage)!.records.map((r) => r.id),
    );
    expect(resumed.records.filter((r) => firstPage.has(r.id))).toEqual([]);
    expect(new Set([...firstPage, ...resumed.records.map((r) => r.id)]).size).toBe(250);
  });

  it('a deletion moves the cursor with it: the next run does not load the same tombstones again', async () => {
    const stream = t.stream('Tasks');
    const first = await drain(stream, await readContext(t, null));
    await t.sim.control.advanceClock(2_000);
    const { deleted } = (await t.sim.control.mutate({ object: 'Tasks', delete: 2 })) as { deleted: string[] };
    const second = await drain(stream, await readContext(t, first.cursor));
    expect(
      second.records
        .filter((r) => r.deleted)
        .map((r) => r.id)
        .sort(),
    ).toEqual([...deleted].sort());
    expect(Date.parse(second.cursor!.value)).toBeGreaterThan(Date.parse(first.cursor!.value));
    const third = await drain(stream, await readContext(t, second.cursor));
    expect(third.error).toBeNull();
    expect(third.records).toEqual([]);
  });

  it('never saves ids at the second the run started in: a change later in that second is read next run', async () => {
    const stream = t.stream('Notes');
    const first = await drain(stream, await readContext(t, null));
    await t.sim.control.advanceClock(2_000);
    const changed = (await t.sim.control.mutate({ object: 'Notes', update: 1 })) as {
      updated: string[];
      at: string;
    };
    const [id] = changed.updated;
    // The run starts in the second of the change (Zoho stamps whole seconds: a second change of the
    // record in that second keeps its Modified_Time, so the id must not be saved as loaded there).
    const second = await drain(stream, {
      ...(await readContext(t, first.cursor)),
      runStartedAt: new Date(Math.floor(Date.parse(changed.at) / 1000) * 1000 + 999),
    });
    expect(second.records.map((r) => r.id)).toEqual([id]);
    expect(second.cursor!.ids).not.toContain(id);
    const third = await drain(stream, await readContext(t, second.cursor));
    expect(third.records.map((r) => r.id)).toEqual([id]);
  });

  it('finishes a window larger than bulkThreshold through Bulk Read', async () => {
    const testbed = zohoSourceFor(t.sim, { bulkThreshold: 200 });
    const stream = testbed.stream('Deals');
    const first = await drain(stream, await readContext(testbed, null));
    await t.sim.control.advanceClock(2_000);
    const { updated } = (await t.sim.control.mutate({
      object: 'Deals',
      update: 500,
      sameTimestamp: false,
    })) as { updated: string[] };
    const second = await drain(stream, await readContext(testbed, first.cursor));
    expect(second.error).toBeNull();
    expect(testbed.log.text()).toContain('more than bulkThreshold 200');
    const read = new Set(second.records.map((r) => r.id));
    expect(updated.filter((id) => !read.has(id))).toEqual([]);
    expect(Date.parse(second.cursor!.value)).toBeGreaterThan(Date.parse(first.cursor!.value));
  });

  it('pages Bulk Read through several jobs (the next created as the previous completes), a failed job is an error', async () => {
    await t.sim.control.configure({ bulkRowsPerJob: 250 });
    try {
      const testbed = zohoSourceFor(t.sim);
      const first = await drain(testbed.stream('Leads'), await readContext(testbed, null));
      expect(first.error).toBeNull();
      const live = (await truthOf(t.sim, 'Leads')).filter((r) => !r.deleted).map((r) => r.id);
      expect(live.length).toBeGreaterThan(250);
      expect(new Set(first.records.map((r) => r.id))).toEqual(new Set(live));
      expect(testbed.requests.rows().find((r) => r.endpoint === 'POST /crm/bulk/v8/read')?.count).toBe(
        Math.ceil(live.length / 250),
      );
      await t.sim.control.configure({ bulkFailModules: ['Notes'] });
      const failed = await drain(testbed.stream('Notes'), await readContext(testbed, null));
      expect((failed.error as TideError).code).toBe('source_error');
      expect(failed.cursor).toBeNull();
    } finally {
      await t.sim.control.configure({ bulkRowsPerJob: 200_000, bulkFailModules: [] });
    }
  });

  it('bulkRead: false reads a first load through the Records API, page by page, with no Bulk job; deleted records come flagged', async () => {
    await t.sim.control.mutate({ object: 'Accounts', delete: 3 });
    const testbed = zohoSourceFor(t.sim, { bulkRead: false });
    const first = await drain(testbed.stream('Accounts'), await readContext(testbed, null));
    expect(first.error).toBeNull();
    const truth = await truthOf(t.sim, 'Accounts');
    expect(truth.filter((r) => r.deleted).length).toBeGreaterThanOrEqual(3);
    const loaded = [...latestById(first.records).values()];
    expect(new Map(loaded.map((r) => [r.id, r.deleted]))).toEqual(
      new Map(truth.map((r) => [r.id, r.deleted])),
    );
    expect(first.batches.filter((b) => b.checkpoint !== null).length).toBeGreaterThan(1);
    expect(testbed.requests.rows().some((r) => r.endpoint.includes('/crm/bulk/'))).toBe(false);
  });

  it('a custom field added mid-stream becomes a column with the values of the records written since', async () => {
    const h = zohoHarness(t, ['Accounts']);
    const stream = t.stream('Accounts');
    const first = await drain(stream, await readContext(t, null));
    const { field, ids } = await h.source.addCustomField('Accounts', 12);
    const second = await drain(stream, await readContext(t, first.cursor));
    expect((await stream.columns()).map((c) => c.name)).toContain(field);
    const byId = latestById(second.records);
    for (const id of ids) expect(byId.get(id)?.fields[field]).toMatch(/^value /);
  });

  it('reads more than 50 fields 50 a call, merging the rest by ids', async () => {
    for (let i = 0; i < 45; i++) {
      await t.sim.control.configure({
        addField: { module: 'Calls', api_name: `Extra_${i}`, data_type: 'text' },
      });
    }
    const stream = t.stream('Calls');
    const first = await drain(stream, await readContext(t, null));
    await t.sim.control.advanceClock(2_000);
    const { updated } = (await t.sim.control.mutate({
      object: 'Calls',
      update: 3,
      setFields: { Extra_44: 'the last one', Extra_0: 'the first one' },
    })) as { updated: string[] };
    await t.sim.control.resetStats();
    const second = await drain(stream, await readContext(t, first.cursor));
    const byId = latestById(second.records);
    for (const id of updated)
      expect(byId.get(id)?.fields).toMatchObject({ Extra_0: 'the first one', Extra_44: 'the last one' });
    const stats = await t.sim.control.stats();
    expect(stats.byEndpointStatus['GET /crm/v8/Calls 400'] ?? 0).toBe(0);
    expect(stats.byEndpoint['GET /crm/v8/Calls']).toBe(2);
  });

  it('waits out concurrency 429s, follows the next page token of empty pages, and fetches a new token after INVALID_TOKEN', async () => {
    const h = zohoHarness(t, ['Events']);
    const stream = t.stream('Events');
    const first = await drain(stream, await readContext(t, null));
    const changed = await h.source.mutate('Events', 30);
    // One fault plan (a new plan replaces the last): three 429s, then two empty pages that say
    // more_records with a next_page_token leading to the page left out.
    await t.sim.control.faults({ rateLimit: 3, emptyPages: 2, pathContains: '/crm/' });
    await t.sim.control.configure({ expireTokens: true });
    await t.sim.control.resetStats();
    const second = await drain(stream, await readContext(t, first.cursor));
    expect(second.error).toBeNull();
    expect(new Set(second.records.map((r) => r.id))).toEqual(new Set(changed));
    expect(await t.sim.control.pendingFaults(), 'faults never served').toBe(0);
    const stats = await t.sim.control.stats();
    expect(stats.byStatus['429']).toBe(3);
    expect(stats.byStatus['401']).toBeGreaterThanOrEqual(1);
  });

  it('stops as partial (exit 3) when the credits run out, with the cursor where its data is', async () => {
    const warehouse = await memoryWarehouse();
    try {
      const testbed = zohoSourceFor(t.sim, { bulkThreshold: 100_000 });
      // The first load's cursor then stands at these few records, not at a second an earlier test
      // gave hundreds of Contacts: those would fill the one page the credits allow, all already loaded.
      await t.sim.control.advanceClock(2_000);
      await t.sim.control.mutate({ object: 'Contacts', update: 5 });
      const first = await extract(warehouse, testbed, ['Contacts'], 'q1');
      expect(first.status).toBe('ok');
      const before = first.outcomes[0]!.cursor as CursorState;
      await t.sim.control.advanceClock(2_000);
      await t.sim.control.mutate({ object: 'Contacts', update: 450, sameTimestamp: false });
      // fields + deletions + one page of records, then nothing.
      await t.sim.control.configure({ dailyCredits: 3 });
      const stopped = await extract(warehouse, testbed, ['Contacts'], 'q2');
      expect(stopped.status).toBe('partial');
      expect(stopped.outcomes[0]!.error?.code).toBe('quota_exhausted');
      const at = stopped.outcomes[0]!.cursor as CursorState;
      // What was read before the stop is committed with its cursor (never past the data).
      expect(stopped.outcomes[0]!.records).toBeGreaterThan(0);
      expect(stopped.outcomes[0]!.loads).toBe(1);
      expect(Date.parse(at.value)).toBeGreaterThanOrEqual(Date.parse(before.value));
      await t.sim.control.configure({ dailyCredits: 0 });
      const resumed = await extract(warehouse, testbed, ['Contacts'], 'q3');
      expect(resumed.status).toBe('ok');
      await warehouseMatchesTruth(warehouse, `${testbed.config.name}__contacts`, 'Contacts');
    } finally {
      await t.sim.control.configure({ dailyCredits: 0 });
      await warehouse.close();
    }
  });

  it('names the missing variable, and refuses bad credentials with a clear error', async () => {
    expect(() => zohoSourceFor(t.sim, { clientIdEnv: 'ZOHO_NOT_SET_ANYWHERE' })).toThrowError(
      /ZOHO_NOT_SET_ANYWHERE is not set/,
    );
    const wrong = zohoSourceFor(t.sim, { refreshTokenEnv: 'ZOHO_TEST_ID' });
    const read = await drain(wrong.stream('Notes'), { runStartedAt: await simNow(t.sim) });
    expect(read.error).toBeInstanceOf(TideError);
    expect((read.error as TideError).code).toBe('credentials_rejected');
    expect((read.error as TideError).message).not.toContain(t.sim.clientSecret);
  });
});
