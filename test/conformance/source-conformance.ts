import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CursorState } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import type { Stream } from '../../core/source.js';
import type { ConnectorHarness, SourceHarness } from './connector-harness.js';
import { type CrashedRead, loadedBy, readCrashing, readStream, type StreamRead } from './read-stream.js';
import {
  checkCheckpointInsideTie,
  checkContains,
  checkCustomField,
  checkDeleted,
  checkDeletesChecked,
  checkEachIdOnce,
  checkEachVersionOnce,
  checkFaultServed,
  checkIncremental,
  checkMatchesTruth,
  checkRecordShape,
} from './source-checks.js';

/**
 * What the warehouse holds of one stream after the reads so far (every version, as loads upsert
 * them) and the cursor it would resume from. Cases start by catching up, so each one's changes are
 * the only ones its reads see, whatever ran before it.
 */
export class Replica {
  readonly records: SourceRecord[] = [];
  cursor: CursorState | null = null;
  readonly #harness: SourceHarness;
  readonly stream: Stream;

  constructor(harness: SourceHarness, stream: Stream) {
    this.#harness = harness;
    this.stream = stream;
  }

  /** An incremental run from the current cursor, kept. */
  async run(): Promise<SourceRecord[]> {
    const read = await readStream(this.stream, {
      cursor: this.cursor,
      runStartedAt: await this.#harness.now(),
    });
    checkRecordShape(read.records);
    const loaded = this.loaded(read);
    this.records.push(...loaded);
    this.cursor = read.cursor;
    return loaded;
  }

  /** What a read changes here: its records, plus deletes its live-id listing implies. */
  loaded(read: StreamRead): SourceRecord[] {
    return loadedBy(this.records, read);
  }

  async matchesTruth(...more: readonly (readonly SourceRecord[])[]): Promise<void> {
    checkMatchesTruth([...this.records, ...more.flat()], await this.#harness.truth(this.stream.name));
  }

  /** Records a read outside `run` loaded, and the cursor it ended at. */
  keep(records: readonly SourceRecord[], cursor: CursorState | null): void {
    this.records.push(...records);
    this.cursor = cursor;
  }
}

/** What the source cases work with: the harness, and one replica per stream shared by the cases. */
export class SourceSuite {
  readonly harness: SourceHarness;
  readonly kind: string;
  readonly #replicas = new Map<string, Replica>();

  constructor(kind: string, harness: SourceHarness) {
    this.kind = kind;
    this.harness = harness;
  }

  stream(name: string): Stream {
    const stream = this.harness.source.streams().find((s) => s.name === name);
    if (stream === undefined) throw new Error(`${this.kind} has no stream ${name}`);
    return stream;
  }

  /** The stream a fresh source (the next run) reads. */
  freshStream(name: string): Stream {
    const stream = this.harness
      .fresh()
      .streams()
      .find((s) => s.name === name);
    if (stream === undefined) throw new Error(`${this.kind}: a fresh source has no stream ${name}`);
    return stream;
  }

  /** The contact-like stream the page-boundary, crash, field and fault cases use. */
  get first(): string {
    const name = this.harness.streams[0];
    if (name === undefined) throw new Error(`${this.kind}: the harness lists no streams`);
    return name;
  }

  /** Starts the stream's replica over with a first run. */
  async firstRun(name: string): Promise<Replica> {
    const r = new Replica(this.harness, this.stream(name));
    this.#replicas.set(name, r);
    await r.run();
    return r;
  }

  /** The stream's replica, loaded by a first run when no case loaded it yet, then caught up. */
  async replica(name: string): Promise<Replica> {
    const r = this.#replicas.get(name);
    if (r === undefined) return this.firstRun(name);
    await r.run();
    return r;
  }
}

export interface SourceCase {
  readonly name: string;
  run(suite: SourceSuite): Promise<void>;
}

/**
 * The source contract, case by case: plain functions over a harness, so the can-fail test can run
 * them against a deliberately broken source and see each one fail.
 */
export const SOURCE_CASES: readonly SourceCase[] = [
  {
    name: 'declares its streams with columns',
    async run(s) {
      expect(s.harness.source.streams().length).toBeGreaterThan(0);
      for (const name of s.harness.streams) {
        const columns = await s.stream(name).columns();
        expect(columns.length, `${name} columns`).toBeGreaterThan(0);
        expect(new Set(columns.map((c) => c.name)).size, `${name}: column names repeat`).toBe(columns.length);
      }
    },
  },
  {
    name: 'a first run reads exactly what the CRM holds, with a cursor',
    async run(s) {
      for (const name of s.harness.streams) {
        const r = await s.firstRun(name);
        await r.matchesTruth();
        expect(r.cursor, `${name}: cursor after a first run`).not.toBeNull();
      }
    },
  },
  {
    name: 'an incremental run reads only the changes, in few calls; an idle run next to nothing',
    async run(s) {
      const h = s.harness;
      for (const name of h.streams) {
        const r = await s.replica(name);
        const tableSize = (await h.truth(name)).size;
        const changed = await h.mutate(name, 7);
        const callsBefore = await h.calls();
        const read = await r.run();
        const calls = (await h.calls()) - callsBefore;
        checkIncremental(read, changed, tableSize);
        await r.matchesTruth();
        expect(calls, `${name}: API calls of an incremental run`).toBeLessThan(Math.max(20, tableSize / 50));
        const cursor = r.cursor;
        const idle = await r.run();
        expect(idle.length, `${name}: records of an idle run`).toBeLessThanOrEqual(read.length);
        expect(Date.parse(r.cursor?.value ?? '0')).toBeGreaterThanOrEqual(Date.parse(cursor?.value ?? '0'));
      }
    },
  },
  {
    name: 'deletes arrive as deleted records',
    async run(s) {
      for (const name of s.harness.streams) {
        const r = await s.replica(name);
        const removed = await s.harness.remove(name, 3);
        const read = await r.run();
        checkIncremental(read, removed, (await s.harness.truth(name)).size);
        checkDeleted(read, removed);
        await r.matchesTruth();
      }
    },
  },
  {
    name: 'a full refresh says up to when it checked deletes, for every stream',
    async run(s) {
      for (const name of s.harness.streams) {
        const runStartedAt = await s.harness.now();
        const read = await readStream(s.freshStream(name), { fullRefresh: true, runStartedAt });
        try {
          checkDeletesChecked(read.deletesCheckedAt, runStartedAt, await s.harness.now());
        } catch (error) {
          throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
  },
  {
    name: 'ties at one timestamp across pages: a crash after the first page resumes with nothing missed or doubled',
    async run(s) {
      const h = s.harness;
      const r = await s.replica(s.first);
      const tied = await h.mutate(s.first, Math.ceil(h.pageSize * 1.5), { sameInstant: true });
      const before = r.cursor;
      const crashed = await readCrashing(r.stream, { cursor: before, runStartedAt: await h.now() }, 1);
      expect(crashed.crashedMidStream, 'the read had more pages when it was abandoned').toBe(true);
      if (h.checkpointsMidRead === false) {
        // Reads unsorted by time: nothing is committed before the end, the rerun reads the tie whole.
        expect(crashed.kept, 'records committed by a read that vouches only at its end').toEqual([]);
        expect(crashed.checkpoint, 'the cursor after a crash').toEqual(before);
      } else {
        checkCheckpointInsideTie(crashed.kept, tied);
      }
      await resume(s, r, crashed, tied);
    },
  },
  {
    name: 'a crash mid-stream, restarted from the last checkpoint, loses nothing',
    async run(s) {
      const h = s.harness;
      const r = await s.replica(s.first);
      const changed = await h.mutate(s.first, Math.ceil(h.pageSize * 1.5));
      const crashed = await readCrashing(r.stream, { cursor: r.cursor, runStartedAt: await h.now() }, 1);
      expect(crashed.crashedMidStream, 'the read had more pages when it was abandoned').toBe(true);
      await resume(s, r, crashed, changed);
    },
  },
  {
    name: 'an overlapping re-read returns each record once, and the upsert equals the CRM',
    async run(s) {
      const h = s.harness;
      const r = await s.replica(s.first);
      const windowStart = r.cursor;
      // A window wider than a page: the re-read crosses page boundaries.
      const early = await h.mutate(s.first, h.pageSize);
      await r.run();
      const late = await h.mutate(s.first, 5);
      // The next read starts before the cursor, as a source's overlap window makes it do.
      const overlap = windowStart === null ? null : { value: windowStart.value, ids: [] };
      const reread = await readStream(r.stream, { cursor: overlap, runStartedAt: await h.now() });
      checkContains(reread.records, [...early, ...late], 'the overlapping read');
      checkEachIdOnce(reread.records);
      const loaded = r.loaded(reread);
      await r.matchesTruth(loaded);
      r.keep(loaded, reread.cursor);
    },
  },
  {
    name: 'a custom field added mid-stream becomes a column and its values arrive',
    async run(s) {
      const h = s.harness;
      const r = await s.replica(s.first);
      const { field, ids } = await h.addCustomField(s.first, 5);
      const stream = s.freshStream(s.first);
      const read = await readStream(stream, { cursor: r.cursor, runStartedAt: await h.now() });
      checkCustomField(await stream.columns(), read.records, field, ids);
      const loaded = r.loaded(read);
      await r.matchesTruth(loaded);
      r.keep(loaded, read.cursor);
    },
  },
  {
    name: 'empty pages that still carry a next link do not end a read',
    async run(s) {
      const h = s.harness;
      await h.fault({ kind: 'empty-page', count: 2 });
      const read = await readStream(s.freshStream(s.first), { runStartedAt: await h.now() });
      // A first load, compared on the live records: a CRM without a deletions feed (ActiveCampaign)
      // cannot name records deleted before it, and deletes have their own case.
      const live = new Map([...(await h.truth(s.first))].filter(([, deleted]) => !deleted));
      checkMatchesTruth(
        read.records.filter((rec) => !rec.deleted),
        live,
      );
      checkFaultServed(await h.pendingFaults(), 'empty-page');
    },
  },
  {
    name: 'a 429 is waited out and the read completes',
    async run(s) {
      const h = s.harness;
      const r = await s.replica(s.first);
      const changed = await h.mutate(s.first, 5);
      await h.fault({ kind: 'rate-limit', count: 1 });
      const read = await r.run();
      checkFaultServed(await h.pendingFaults(), 'rate-limit');
      checkContains(read, changed, 'the read after a 429');
      await r.matchesTruth();
    },
  },
];

/** After a crash: the next run resumes from the committed checkpoint; together they lose nothing. */
async function resume(
  s: SourceSuite,
  r: Replica,
  crashed: CrashedRead,
  changed: readonly string[],
): Promise<void> {
  const resumed = await readStream(r.stream, {
    cursor: crashed.checkpoint,
    runStartedAt: await s.harness.now(),
  });
  checkContains([...crashed.kept, ...resumed.records], changed, 'the crashed and the resumed read');
  checkEachVersionOnce(crashed.kept, resumed.records);
  await r.matchesTruth(crashed.kept, resumed.records);
  r.keep([...crashed.kept, ...resumed.records], resumed.cursor);
}

/**
 * What every CRM source must do, against its simulator: test/conformance/connectors.test.ts runs this
 * for each harness. Every case that reads everything runs on all of the harness's streams; the
 * page-boundary, crash, custom-field and fault cases on the first (contact-like) one.
 */
export function describeSourceConformance(kind: string, start: () => Promise<ConnectorHarness>): void {
  describe(`source conformance: ${kind}`, () => {
    let connector: ConnectorHarness;
    let suite: SourceSuite;
    beforeAll(async () => {
      connector = await start();
      suite = new SourceSuite(kind, connector.source);
    });
    afterAll(async () => {
      await connector?.close();
    });
    for (const c of SOURCE_CASES) it(c.name, () => c.run(suite));
  });
}
