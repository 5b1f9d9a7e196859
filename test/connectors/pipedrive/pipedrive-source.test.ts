import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../../core/column-spec.js';
import { latestById, readStream } from '../../conformance/read-stream.js';
import {
  mutate,
  type PipedriveTestbed,
  pipedriveSourceFor,
  pipedriveTestbed,
  readContext,
  simNow,
  truthOf,
} from './pipedrive-harness.js';

const HASH = /^[0-9a-f]{40}$/;

async function listCalls(bed: PipedriveTestbed, entity: string): Promise<number> {
  return (await bed.sim.control.stats()).byEndpoint[`GET /api/v2/${entity}`] ?? 0;
}

describe('Pipedrive source: records', () => {
  let bed: PipedriveTestbed;
  beforeAll(async () => {
    bed = await pipedriveTestbed({ seed: 3, scale: 900 });
  });
  afterAll(() => bed?.sim.close());

  it('maps custom fields to readable columns that keep their hash, and flattens contacts', async () => {
    const stream = bed.stream('persons');
    const columns = await stream.columns();
    const score = columns.find((c) => c.name === 'Lead score');
    expect(score).toMatchObject({ type: 'number', meta: { pipedriveType: 'double' } });
    expect(score?.meta?.['pipedriveKey']).toMatch(HASH);
    const segment = columns.find((c) => c.name === 'Segment');
    expect(segment?.meta?.['options']).toContain('=Enterprise');
    expect(columns.filter((c) => HASH.test(c.name))).toEqual([]);

    const { records } = await readStream(stream);
    const truth = (await bed.sim.control.truth('persons')) as Record<string, unknown>[];
    expect(records.length).toBe(truth.length);
    const raw = truth.find(
      (p) => (p['emails'] as unknown[]).length > 1 && (p['phones'] as unknown[]).length > 0,
    )!;
    const record = records.find((r) => r.id === String(raw['id']))!;
    const emails = raw['emails'] as { value: string; primary: boolean }[];
    expect(record.fields['emails']).toEqual(emails);
    expect(record.fields['primary_email']).toBe(emails.find((e) => e.primary)!.value.trim());
    expect(record.fields['org_id']).toBe(raw['org_id'] === null ? null : String(raw['org_id']));

    // Enum values arrive as option ids; the column holds the option's label.
    const segmentKey = segment!.meta!['pipedriveKey']!;
    const withSegment = truth.find(
      (p) => (p['custom_fields'] as Record<string, unknown>)[segmentKey] !== null,
    )!;
    const optionId = (withSegment['custom_fields'] as Record<string, number>)[segmentKey]!;
    const label = segment!
      .meta!['options']!.split(';')
      .find((o) => o.startsWith(`${optionId}=`))!
      .split('=')[1];
    expect(records.find((r) => r.id === String(withSegment['id']))!.fields['Segment']).toBe(label);
  });

  it('keeps hostile and colliding custom field names apart, each tied to its hash', async () => {
    const hostile = await mutate(bed.sim, {
      addField: { object: 'organizations', name: '"; drop table x; --', type: 'varchar' },
    });
    const clash = await mutate(bed.sim, {
      addField: { object: 'organizations', name: 'Name', type: 'varchar' },
    });
    await bed.sim.control.advanceClock(2_000);
    const edited = await mutate(bed.sim, { object: 'organizations', update: 1 });
    const fresh = pipedriveSourceFor(bed.sim).stream('organizations');
    const columns = await fresh.columns();
    const names = columns.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(columns.find((c) => c.meta?.['pipedriveKey'] === hostile.field!.key)?.name).toBe(
      '"; drop table x; --',
    );
    expect(columns.find((c) => c.meta?.['pipedriveKey'] === clash.field!.key)?.name).toBe(
      `Name ${clash.field!.key.slice(0, 8)}`,
    );
    // Edits made after a field exists fill it; the standard `name` keeps the organization's name.
    const { records } = await readStream(fresh);
    const record = records.find((r) => r.id === edited.updated[0])!;
    expect(record.fields['"; drop table x; --']).toEqual(expect.any(String));
    expect(record.fields['name']).toEqual(expect.any(String));
  });

  it('reads leads (UUID ids, deal custom fields) and users in full on a first run', async () => {
    const leads = await readStream(bed.stream('leads'));
    const truth = await truthOf(bed.sim, 'leads');
    expect(new Set(leads.records.map((r) => r.id))).toEqual(new Set(truth.keys()));
    // Offset-paged and sorted by creation: nothing is checkpointed before the read ends.
    expect(leads.checkpoints.slice(0, -1).every((c) => c === null)).toBe(true);
    expect(leads.cursor).not.toBeNull();
    const columns = await bed.stream('leads').columns();
    expect(
      columns.some((c) => c.name === 'Source channel' && HASH.test(c.meta?.['pipedriveKey'] ?? '')),
    ).toBe(true);
    expect(leads.records.some((r) => typeof r.fields['Source channel'] === 'string')).toBe(true);

    await bed.sim.control.advanceClock(2_000);
    const changed = await mutate(bed.sim, { object: 'leads', update: 3, create: 1 });
    const again = await readStream(bed.stream('leads'), {
      cursor: leads.cursor,
      runStartedAt: await simNow(bed.sim),
    });
    expect(again.records.map((r) => r.id).sort()).toEqual([...changed.ids].sort());

    const users = await readStream(bed.stream('users'));
    expect(users.records.length).toBe((await truthOf(bed.sim, 'users')).size);
    expect(
      (await readStream(bed.stream('users'), { cursor: users.cursor, runStartedAt: await simNow(bed.sim) }))
        .records.length,
    ).toBeLessThanOrEqual(1);
  });
});

describe('Pipedrive source: incremental correctness', () => {
  let bed: PipedriveTestbed;
  beforeAll(async () => {
    bed = await pipedriveTestbed({ seed: 5, scale: 4000 });
  });
  afterAll(() => bed?.sim.close());

  it('reads exactly the changes and deletes, including ties that span pages, with calls growing with N', async () => {
    const stream = bed.stream('persons');
    const first = await readStream(stream);
    expect(first.records.length).toBe((await truthOf(bed.sim, 'persons')).size);

    // A small change costs one list call.
    await bed.sim.control.advanceClock(5_000);
    const small = await mutate(bed.sim, { object: 'persons', update: 3, create: 1, delete: 1 });
    let calls = await listCalls(bed, 'persons');
    const second = await readStream(stream, { cursor: first.cursor, runStartedAt: await simNow(bed.sim) });
    const smallCalls = (await listCalls(bed, 'persons')) - calls;
    expect(second.records.map((r) => r.id).sort()).toEqual([...small.ids].sort());
    expect(latestById(second.records).get(small.deleted[0]!)?.deleted).toBe(true);
    expect(smallCalls).toBe(1);

    // 1,100 records touched in one second: the tie spans three pages of 500.
    await bed.sim.control.advanceClock(5_000);
    const big = await mutate(bed.sim, { object: 'persons', update: 1090, delete: 10, sameTimestamp: true });
    calls = await listCalls(bed, 'persons');
    const third = await readStream(stream, { cursor: second.cursor, runStartedAt: await simNow(bed.sim) });
    const bigCalls = (await listCalls(bed, 'persons')) - calls;
    expect(third.records.length).toBe(1100);
    expect(new Set(third.records.map((r) => r.id))).toEqual(new Set(big.ids));
    expect(
      third.records
        .filter((r) => r.deleted)
        .map((r) => r.id)
        .sort(),
    ).toEqual([...big.deleted].sort());
    expect(bigCalls).toBe(3);
    // Every page checkpoints, and the final cursor holds every id at the shared second.
    expect(third.checkpoints.filter((c) => c !== null).length).toBeGreaterThanOrEqual(3);
    expect(third.cursor?.ids.length).toBe(1100);

    // Nothing changed since: one call, no records.
    const idle = await readStream(stream, { cursor: third.cursor, runStartedAt: await simNow(bed.sim) });
    expect(idle.records).toEqual([]);
  });

  it('resumes from a mid-read checkpoint without losing or duplicating beyond the overlap', async () => {
    const stream = bed.stream('organizations');
    const first = await readStream(stream);
    await bed.sim.control.advanceClock(5_000);
    const changed = await mutate(bed.sim, { object: 'organizations', update: 450, delete: 5, create: 250 });
    const partial: string[] = [];
    let checkpoint = null;
    for await (const batch of stream.read(await readContext(bed, first.cursor))) {
      partial.push(...batch.records.map((r) => r.id));
      checkpoint = batch.checkpoint;
      break; // The run dies after its first page is loaded.
    }
    const rest = await readStream(stream, { cursor: checkpoint, runStartedAt: await simNow(bed.sim) });
    const all = new Set([...partial, ...rest.records.map((r) => r.id)]);
    expect(all).toEqual(new Set(changed.ids));
    expect(partial.length + rest.records.length).toBe(changed.ids.length);
  });

  it('deals: deletions come from status=deleted and do not move the checkpoint ahead of the main read', async () => {
    const stream = bed.stream('deals');
    const first = await readStream(stream);
    await bed.sim.control.advanceClock(5_000);
    const updated = await mutate(bed.sim, { object: 'deals', update: 6 });
    await bed.sim.control.advanceClock(5_000);
    const removed = await mutate(bed.sim, { object: 'deals', delete: 4 });
    const next = await readStream(stream, { cursor: first.cursor, runStartedAt: await simNow(bed.sim) });
    const latest = latestById(next.records);
    for (const id of removed.deleted) expect(latest.get(id)?.deleted).toBe(true);
    for (const id of updated.updated) expect(latest.get(id)?.deleted).toBe(false);
    expect(latest.size).toBe(10);
    // The cursor is the main read's (the updates'), not the later deletions': those are re-read next
    // time, which is harmless, rather than skipped past in a run that dies between the two passes.
    expect(Date.parse(next.cursor!.value)).toBeGreaterThanOrEqual(Date.parse(updated.at));
    expect(Date.parse(next.cursor!.value)).toBeLessThan(Date.parse(removed.at));
    const again = await readStream(stream, { cursor: next.cursor, runStartedAt: await simNow(bed.sim) });
    expect(again.records.map((r) => r.id).sort()).toEqual([...removed.deleted].sort());
  });
});

describe('Pipedrive source: a renamed custom field', () => {
  let bed: PipedriveTestbed;
  beforeAll(async () => {
    bed = await pipedriveTestbed({ seed: 9, scale: 700 });
  });
  afterAll(() => bed?.sim.close());

  it('keeps the hash as identity: the new name gets every value, re-read in one resync', async () => {
    const first = await readStream(bed.stream('persons'));
    const columnsBefore = await bed.stream('persons').columns();
    const old = columnsBefore.find((c) => c.name === 'Lead score') as ColumnSpec;
    const key = old.meta!['pipedriveKey']!;
    const valued = first.records.filter((r) => typeof r.fields['Lead score'] === 'number');
    expect(valued.length).toBeGreaterThan(10);

    await bed.sim.control.advanceClock(5_000);
    await mutate(bed.sim, { renameField: { object: 'persons', key, newName: 'Engagement score' } });
    await mutate(bed.sim, { object: 'persons', update: 2 });

    // A new run (new Source) reads the field definitions afresh.
    const rerun = pipedriveSourceFor(bed.sim);
    const columns = await rerun.stream('persons').columns();
    expect(columns.find((c) => c.name === 'Engagement score')?.meta?.['pipedriveKey']).toBe(key);
    expect(columns.find((c) => c.name === 'Lead score')).toBeUndefined();

    const batches: boolean[] = [];
    const records = [];
    let cursor = null;
    for await (const batch of rerun.stream('persons').read(await readContext(rerun, first.cursor))) {
      batches.push(batch.resync === true);
      records.push(...batch.records);
      cursor = batch.checkpoint ?? cursor;
    }
    expect(batches[0]).toBe(true);
    expect(batches.slice(1).every((b) => !b)).toBe(true);
    const byId = latestById(records);
    for (const r of valued) expect(byId.get(r.id)?.fields['Engagement score']).toBe(r.fields['Lead score']);
    expect(rerun.log.entries.some((e) => /custom field definitions changed/.test(e.message))).toBe(true);

    // The run after the resync is incremental again: nothing changed, nothing read, no resync.
    const after = await readStream(pipedriveSourceFor(bed.sim).stream('persons'), {
      cursor,
      runStartedAt: await simNow(bed.sim),
    });
    expect(after.records).toEqual([]);
  });
});
