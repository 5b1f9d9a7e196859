import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../core/record.js';
import type { Source } from '../../core/source.js';
import { latestById, loadedBy, readStream } from './read-stream.js';

/**
 * What every CRM source must do, run against each source's simulator with one line:
 * `describeSourceConformance('hubspot', makeHarness)`. The checks are plain functions so a deliberately
 * broken source can prove they fail (see source-conformance.test.ts).
 */
export interface SourceHarness {
  readonly source: Source;
  /** Streams the harness can mutate and knows the truth of. */
  readonly streams: readonly string[];
  /** The CRM's current records of a stream: id → deleted. */
  truth(stream: string): Promise<Map<string, boolean>>;
  /** Changes `n` records of a stream (new last-modified); returns their ids. */
  mutate(stream: string, n: number): Promise<readonly string[]>;
  /** Deletes (archives) `n` records of a stream; returns their ids. */
  remove(stream: string, n: number): Promise<readonly string[]>;
  /** API calls the simulator has served so far. */
  calls(): Promise<number>;
  close(): Promise<void>;
}

/** Every record is well-formed: string id, ISO timestamp, boolean deleted flag, object fields. */
export function checkRecordShape(records: readonly SourceRecord[]): void {
  for (const r of records) {
    if (typeof r.id !== 'string' || r.id === '')
      throw new Error(`record without id: ${JSON.stringify(r).slice(0, 200)}`);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r.updatedAt))
      throw new Error(`record ${r.id}: updatedAt ${r.updatedAt} is not ISO ms UTC`);
    if (typeof r.deleted !== 'boolean') throw new Error(`record ${r.id}: deleted is not a boolean`);
    if (r.fields === null || typeof r.fields !== 'object')
      throw new Error(`record ${r.id}: fields is not an object`);
  }
}

/** After upserting `records`, the table equals the truth: same ids, same deleted flags. */
export function checkMatchesTruth(
  records: readonly SourceRecord[],
  truth: ReadonlyMap<string, boolean>,
): void {
  const loaded = latestById(records);
  const missing = [...truth.keys()].filter((id) => !loaded.has(id));
  const extra = [...loaded.keys()].filter((id) => !truth.has(id));
  const wrongDeleted = [...truth]
    .filter(([id, deleted]) => loaded.has(id) && loaded.get(id)?.deleted !== deleted)
    .map(([id]) => id);
  if (missing.length + extra.length + wrongDeleted.length > 0) {
    throw new Error(
      `warehouse would differ from the CRM: missing ${missing.length} (${missing.slice(0, 5).join(',')}), extra ${extra.length} (${extra
        .slice(0, 5)
        .join(',')}), wrong deleted flag ${wrongDeleted.length} (${wrongDeleted.slice(0, 5).join(',')})`,
    );
  }
}

/** An incremental read contains every changed id, and is small: it grows with the changes. */
export function checkIncremental(
  records: readonly SourceRecord[],
  changed: readonly string[],
  tableSize: number,
): void {
  const ids = new Set(records.map((r) => r.id));
  const lost = changed.filter((id) => !ids.has(id));
  if (lost.length > 0)
    throw new Error(`incremental read missed ${lost.length} changed records: ${lost.slice(0, 5).join(',')}`);
  if (records.length > Math.max(changed.length * 3, changed.length + 250) && records.length > tableSize / 2) {
    throw new Error(
      `incremental read returned ${records.length} records for ${changed.length} changes (table ${tableSize})`,
    );
  }
}

export function describeSourceConformance(name: string, makeHarness: () => Promise<SourceHarness>): void {
  describe(`source conformance: ${name}`, () => {
    let harness: SourceHarness;
    beforeAll(async () => {
      harness = await makeHarness();
    });
    afterAll(async () => {
      await harness?.close();
    });

    it('declares its streams with columns', async () => {
      const streams = harness.source.streams();
      expect(streams.length).toBeGreaterThan(0);
      for (const stream of streams.filter((s) => harness.streams.includes(s.name))) {
        const columns = await stream.columns();
        expect(columns.length, `${stream.name} columns`).toBeGreaterThan(0);
        expect(new Set(columns.map((c) => c.name)).size).toBe(columns.length);
      }
    });

    it('first run reads exactly the CRM, then an incremental run reads only the changes and deletes', async () => {
      for (const streamName of harness.streams) {
        const stream = harness.source.streams().find((s) => s.name === streamName);
        expect(stream, streamName).toBeDefined();
        if (!stream) continue;
        const first = await readStream(stream);
        checkRecordShape(first.records);
        const truth = await harness.truth(streamName);
        checkMatchesTruth(first.records, truth);
        expect(first.cursor, `${streamName} cursor after a first run`).not.toBeNull();

        const changed = await harness.mutate(streamName, 7);
        const removed = await harness.remove(streamName, 2);
        const callsBefore = await harness.calls();
        const read = await readStream(stream, { cursor: first.cursor });
        const calls = (await harness.calls()) - callsBefore;
        checkRecordShape(read.records);
        const second = { ...read, records: loadedBy(first.records, read) };
        checkIncremental(second.records, [...changed, ...removed], truth.size);
        checkMatchesTruth([...first.records, ...second.records], await harness.truth(streamName));
        expect(calls, `${streamName}: API calls of an incremental run`).toBeLessThan(
          Math.max(20, truth.size / 50),
        );
        for (const id of removed)
          expect(latestById(second.records).get(id)?.deleted, `${streamName} ${id} deleted`).toBe(true);

        // Nothing changed since: a third run loads (almost) nothing and the cursor does not go back.
        const third = await readStream(stream, { cursor: second.cursor });
        expect(third.records.length, `${streamName}: records of an idle run`).toBeLessThanOrEqual(
          second.records.length,
        );
        expect(Date.parse(third.cursor?.value ?? '0')).toBeGreaterThanOrEqual(
          Date.parse(second.cursor?.value ?? '0'),
        );
      }
    });
  });
}
