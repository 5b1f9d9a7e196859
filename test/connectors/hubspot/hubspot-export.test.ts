import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { exportObjects } from '../../../connectors/hubspot/hubspot-export-records.js';
import { TideError } from '../../../core/tide-error.js';
import type { Warehouse } from '../../../load/warehouse.js';
import {
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../../simulators/hubspot/start-hubspot-simulator.js';
import { latestById, readStream } from '../../conformance/read-stream.js';
import { memoryWarehouse, rowsOf } from '../../reverse/warehouse-fixture.js';
import { EXPORT_START, exportBed, extractInto } from './hubspot-export-bed.js';

let sim: StartedHubspotSimulator | null = null;
const warehouses: Warehouse[] = [];
afterEach(async () => {
  await sim?.close();
  sim = null;
  for (const w of warehouses.splice(0)) await w.close();
});

async function started(scale: number): Promise<StartedHubspotSimulator> {
  sim = await startHubspotSimulator({
    seed: 5,
    scale,
    mutationsPerStart: 0,
    burstLimit: 0,
    searchPerSecond: 0,
  });
  return sim;
}

async function warehouse(): Promise<Warehouse> {
  const w = await memoryWarehouse();
  warehouses.push(w);
  return w;
}

const TruthSchema = z.object({
  id: z.coerce.string(),
  archived: z.boolean().optional(),
  properties: z.record(z.string(), z.string().nullable()),
});
async function truth(s: StartedHubspotSimulator, object: string) {
  return (await s.control.truth(object)).map((r) => TruthSchema.parse(r));
}

/** Every row and column of a raw table (Tide's load bookkeeping aside; `_tide_record` as a JSON value), by id. */
function table(w: Warehouse, name: string): Promise<Record<string, unknown>[]> {
  return rowsOf(w, `select * exclude (_tide_loaded_at, _tide_load_id) from raw.${name} order by _tide_id`);
}

/** A run that starts after the simulator's clock was moved on (Tide caps cursors at the run's start). */
const later = () => ({ runStartedAt: new Date(Date.now() + 600_000) });

/** A portal with content that tests a CSV: quotes, commas, line breaks, non-ASCII; archived and merged records. */
async function awkwardPortal(s: StartedHubspotSimulator): Promise<void> {
  await s.control.configure({ addProperty: { object: 'contacts', name: 'nps_band', type: 'string' } });
  await fetch(`${s.baseUrl}/_sim/plant-text`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      values: [
        'Smith, "Jr." & Co\nsecond line',
        'crlf\r\nin value',
        'ünïcödé ✓ 東京',
        '""',
        ' padded ',
        'a,b,c',
      ],
    }),
  });
  await s.control.advanceClock(1_000);
  await s.control.mutate({
    object: 'contacts',
    update: 20,
    archive: 7,
    merge: 2,
    setProperties: { nps_band: 'promoter' },
  });
  await s.control.mutate({ object: 'companies', update: 5, archive: 3 });
  await s.control.mutate({ object: 'deals', update: 5, archive: 2 });
  await s.control.advanceClock(1_000);
}

describe('HubSpot first loads through a CRM export', () => {
  it('loads every column of every row exactly as the list path does (contacts, companies, deals; a partitioned ZIP)', async () => {
    const s = await started(700);
    await awkwardPortal(s);
    // Files of 97 rows in a ZIP: the partitioning HubSpot applies past 1,000,000 rows, at test size.
    await s.control.configure({ exports: { rowsPerFile: 97, zipAboveBytes: 0 } });
    const viaExport = exportBed(s, { exportAbove: 0 });
    const viaList = exportBed(s, { exportAbove: null });
    const [wExport, wList] = [await warehouse(), await warehouse()];
    const exported = await extractInto(wExport, viaExport, 'export');
    const listed = await extractInto(wList, viaList, 'list');
    expect(exported.summary.status).toBe('ok');
    expect(listed.summary.status).toBe('ok');
    expect(viaExport.calls(EXPORT_START)).toBe(3);
    expect(viaList.calls(EXPORT_START)).toBe(0);
    // The export path read live records from the files: no list page of live records.
    expect(viaExport.calls('GET /crm/v3/objects/contacts')).toBeLessThan(
      viaList.calls('GET /crm/v3/objects/contacts'),
    );
    for (const stream of ['contacts', 'companies', 'deals']) {
      const a = await table(wExport, `hubspot__${stream}`);
      const b = await table(wList, `hubspot__${stream}`);
      const ids = new Set(a.map((row) => String(row._tide_id)));
      for (const record of await truth(s, stream)) expect(ids.has(record.id)).toBe(true);
      expect(a).toEqual(b);
    }
    // The planted text arrived intact.
    const companies = (await rowsOf(wExport, 'select company from raw.hubspot__contacts')).map(
      (r) => r.company,
    );
    expect(companies).toContain('Smith, "Jr." & Co\nsecond line');
    expect(companies).toContain('ünïcödé ✓ 東京');
  }, 60_000);

  it('hands over to search: the next run reads only what changed since the export was asked for', async () => {
    const s = await started(400);
    const bed = exportBed(s, { exportAbove: 0 }, ['contacts']);
    const contacts = bed.stream('contacts');
    const first = await readStream(contacts);
    expect(bed.calls(EXPORT_START)).toBe(1);
    const live = (await truth(s, 'contacts')).filter((r) => r.archived !== true);
    expect(latestById(first.records).size).toBe((await truth(s, 'contacts')).length);
    expect(first.records.filter((r) => !r.deleted).length).toBe(live.length);
    expect(first.cursor).not.toBeNull();

    await s.control.advanceClock(5_000);
    const changed = z
      .object({ updated: z.array(z.string()) })
      .parse(await s.control.mutate({ object: 'contacts', update: 6 }));
    const second = await readStream(contacts, { cursor: first.cursor, ...later() });
    expect(bed.calls(EXPORT_START)).toBe(1);
    expect(new Set(second.records.map((r) => r.id))).toEqual(new Set(changed.updated));
    // And a run with nothing changed reads nothing.
    const third = await readStream(contacts, { cursor: second.cursor, ...later() });
    expect(third.records).toEqual([]);
    // A full refresh is a first load again: through a new export.
    const refresh = await readStream(contacts, { cursor: third.cursor, fullRefresh: true, ...later() });
    expect(bed.calls(EXPORT_START)).toBe(2);
    expect(latestById(refresh.records).size).toBe((await truth(s, 'contacts')).length);
  }, 60_000);

  it('reads portals with hundreds of custom properties from the file alone (no batch/read)', async () => {
    const s = await started(300);
    await s.control.configure({ addProperties: { object: 'contacts', count: 450, nameLength: 40 } });
    const bed = exportBed(s, { exportAbove: 0 }, ['contacts']);
    const read = await readStream(bed.stream('contacts'));
    expect(bed.calls(EXPORT_START)).toBe(1);
    expect(bed.calls('POST /crm/v3/objects/contacts/batch/read')).toBe(0);
    const live = read.records.find((r) => !r.deleted);
    expect(Object.keys(live?.fields ?? {}).length).toBeGreaterThan(450);
    const truthOf = new Map((await truth(s, 'contacts')).map((r) => [r.id, r.properties]));
    for (const record of read.records.filter((r) => !r.deleted).slice(0, 50)) {
      for (const [name, value] of Object.entries(truthOf.get(record.id) ?? {}))
        expect([name, record.fields[name]]).toEqual([name, value]);
    }
  }, 60_000);

  it('loses no record modified while the export runs, though the file holds changes made after the request', async () => {
    const s = await started(400);
    // HubSpot reads the records over the export's PROCESSING time, in id order (simulator model).
    await s.control.configure({ exports: { jobMs: 3_000, msPerThousandRows: 0 } });
    const ids = (await truth(s, 'contacts'))
      .filter((r) => r.archived !== true)
      .map((r) => r.id)
      .sort((a, b) => Number(a) - Number(b));
    const early = ids.slice(0, 3);
    const late = ids.slice(-3);
    const bed = exportBed(s, { exportAbove: 0 }, ['contacts']);
    const contacts = bed.stream('contacts');
    const reading = readStream(contacts);
    for (let i = 0; i < 500 && bed.calls(EXPORT_START) === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(bed.calls(EXPORT_START)).toBe(1);
    await new Promise((r) => setTimeout(r, 1_500));
    // Halfway: the first records were read before these changes, the last ones will be read after.
    await s.control.mutate({ object: 'contacts', ids: early });
    await new Promise((r) => setTimeout(r, 5));
    await s.control.mutate({ object: 'contacts', ids: late });
    const first = await reading;
    const byId = latestById(first.records);
    const now = new Map((await truth(s, 'contacts')).map((r) => [r.id, r.properties.lastmodifieddate]));
    for (const id of early) expect(byId.get(id)?.fields.lastmodifieddate).not.toBe(now.get(id));
    // The file has the later change: a cursor taken from the file's newest record would pass the early ones.
    for (const id of late) expect(byId.get(id)?.fields.lastmodifieddate).toBe(now.get(id));
    const second = await readStream(contacts, { cursor: first.cursor, ...later() });
    const merged = latestById([...first.records, ...second.records]);
    for (const id of [...early, ...late]) expect(merged.get(id)?.fields.lastmodifieddate).toBe(now.get(id));
    expect(merged.size).toBe(now.size);
  }, 60_000);

  it.each([
    ['the rolling 24 h export limit (429)', { perDay: 0 }, /export refused \(HTTP 429 RATE_LIMITS/],
    ['a token without crm.export (403)', { scopeGranted: false }, /export refused \(HTTP 403 MISSING_SCOPES/],
    ['a canceled export', { cancelNext: 1 }, /export \d+ failed \(HubSpot export \d+ ended CANCELED\)/],
    [
      'an expired download URL',
      { urlTtlMs: 0 },
      /export \d+ failed \(HubSpot's export file refused the download \(403/,
    ],
  ])(
    'falls back to the list API on %s, with one log line, every record read once',
    async (_what, settings, line) => {
      const s = await started(300);
      await s.control.mutate({ object: 'contacts', archive: 4 });
      await s.control.configure({ exports: settings });
      const bed = exportBed(s, { exportAbove: 0 }, ['contacts']);
      const read = await readStream(bed.stream('contacts'));
      const lines = read.log
        .text()
        .split('\n')
        .filter((l) => l.includes('reading through the list API instead'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(line);
      expect(bed.calls('GET /crm/v3/objects/contacts')).toBeGreaterThan(0);
      const all = await truth(s, 'contacts');
      expect(read.records.length).toBe(all.length);
      expect(latestById(read.records).size).toBe(all.length);
      expect(read.records.filter((r) => r.deleted).length).toBe(
        all.filter((r) => r.archived === true).length,
      );
    },
    60_000,
  );

  it('waits out the account’s burst 429 on the export start (the run’s wait budget), then exports', async () => {
    const s = await started(300);
    await s.control.faults({ rateLimit: 2, pathContains: '/exports/export/async' });
    const bed = exportBed(s, { exportAbove: 0 }, ['contacts']);
    const read = await readStream(bed.stream('contacts'));
    expect(read.log.text()).not.toContain('reading through the list API instead');
    expect(read.log.text()).toContain('first load through export');
    expect(bed.calls(EXPORT_START)).toBe(3);
    expect(latestById(read.records).size).toBe((await truth(s, 'contacts')).length);
  }, 60_000);

  it('keeps small objects and later runs on the list API (exportAbove)', async () => {
    const s = await started(300);
    const bed = exportBed(s, { exportAbove: 100_000 }, ['contacts']);
    await readStream(bed.stream('contacts'));
    expect(bed.calls(EXPORT_START)).toBe(0);
  });

  it('refuses a file whose header lacks requested properties (labels instead of internal names)', async () => {
    const rows = (async function* () {
      yield { file: 0, row: ['Record ID', 'Email'] };
      yield { file: 0, row: ['51', 'a@example.com'] };
    })();
    const pages = exportObjects(rows, {
      properties: ['hs_object_id', 'email'],
      columns: [],
      what: 'export 1',
      pageSize: 10,
    });
    await expect(pages.next()).rejects.toThrow(TideError);
  });
});
