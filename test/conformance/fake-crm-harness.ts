import type { ColumnSpec } from '../../core/column-spec.js';
import { toIso } from '../../core/cursor-state.js';
import type { Destination, WriteOutcome, WriteRecord, WriteTarget } from '../../core/destination.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext, Source, Stream } from '../../core/source.js';
import { TideError } from '../../core/tide-error.js';
import { CursorTracker, lowerBound } from '../../extract/cursor.js';
import { MemoryCrm } from '../reverse/memory-crm.js';
import type { DestinationHarness, SimulatorFault, SourceHarness } from './connector-harness.js';

/**
 * An in-memory CRM behind the harness contract, correct by default, with switches that break it the
 * ways real connectors break. The can-fail tests run the conformance cases against it: each case
 * passes on the correct CRM and fails on the bug it exists to catch.
 */

export type SourceBug =
  /** Resumes strictly after the cursor's timestamp: the rest of a tie is lost. */
  | 'exclusive-resume'
  /** Checkpoints only at the end of a read. */
  | 'no-checkpoints'
  /** The first page's checkpoint claims the whole read (a cursor ahead of the data). */
  | 'checkpoint-ahead'
  /** Each page starts with the previous page's last record again. */
  | 'repeats-page-edges'
  /** Ignores the cursor: every run reads everything. */
  | 'rereads-everything'
  /** Never returns deleted records. */
  | 'ignores-deletes'
  /** Columns stay what they were when the connector was written. */
  | 'fixed-columns'
  /** An empty page ends the read, next link or not. */
  | 'stops-on-empty-page'
  /** A 429 fails the read. */
  | 'no-retry'
  /** Each page loses its last record. */
  | 'drops-page-tail'
  /** Lists a column twice. */
  | 'repeats-columns'
  /** Never says it checked deletes, not even on a full refresh. */
  | 'never-checks-deletes'
  /** Says it checked deletes up to the cursor it resumed from, not the read's start. */
  | 'checks-deletes-at-cursor';

interface FakeRecord {
  id: string;
  ms: number;
  deleted: boolean;
  fields: Record<string, unknown>;
}

const ANCHOR = Date.UTC(2026, 0, 1);

/** One in-memory CRM object ("contacts"), sorted reads in pages, faults like the simulators'. */
export class FakeCrm {
  readonly records = new Map<string, FakeRecord>();
  readonly fields = ['name'];
  readonly faults = { rateLimit: 0, emptyPages: 0 };
  readonly pageSize = 50;
  calls = 0;
  clock = ANCHOR;
  #next = 0;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const id = String(1000 + i);
      this.records.set(id, {
        id,
        ms: ANCHOR - (size - i) * 1000,
        deleted: false,
        fields: { name: `n${id}` },
      });
    }
  }

  /** `n` live records, a different slice each time. */
  pick(n: number): FakeRecord[] {
    const live = [...this.records.values()].filter((r) => !r.deleted);
    return Array.from({ length: Math.min(n, live.length) }, () => live[this.#next++ % live.length]!);
  }

  /** One page request: faults first, as the simulators serve them. */
  request(): 'rate-limited' | 'empty' | 'ok' {
    this.calls++;
    if (this.faults.rateLimit > 0) {
      this.faults.rateLimit--;
      return 'rate-limited';
    }
    if (this.faults.emptyPages > 0) {
      this.faults.emptyPages--;
      return 'empty';
    }
    return 'ok';
  }
}

class FakeStream implements Stream {
  readonly name = 'contacts';
  readonly cursorField = 'modified';
  readonly #crm: FakeCrm;
  readonly #bugs: ReadonlySet<SourceBug>;
  readonly #columns: readonly string[];

  constructor(crm: FakeCrm, bugs: ReadonlySet<SourceBug>) {
    this.#crm = crm;
    this.#bugs = bugs;
    this.#columns = bugs.has('fixed-columns') ? ['name'] : [...crm.fields];
    if (bugs.has('repeats-columns')) this.#columns = [...this.#columns, 'name'];
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return this.#columns.map((name) => ({ name, type: 'string' }));
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const bugs = this.#bugs;
    const previous = bugs.has('rereads-everything') ? null : ctx.cursor;
    const tracker = new CursorTracker(bugs.has('exclusive-resume') ? null : previous, ctx.runStartedAt);
    let from = lowerBound(previous, { overlapMs: 0, startDate: ctx.startDate })?.getTime() ?? 0;
    if (bugs.has('exclusive-resume') && previous !== null) from += 1;
    const sorted = [...this.#crm.records.values()]
      .filter((r) => r.ms >= from && !(bugs.has('ignores-deletes') && r.deleted))
      .sort((a, b) => a.ms - b.ms || a.id.localeCompare(b.id))
      .map(
        (r): SourceRecord => ({
          id: r.id,
          updatedAt: toIso(r.ms),
          deleted: r.deleted,
          fields: { ...r.fields },
        }),
      );
    const ahead = new CursorTracker(previous, ctx.runStartedAt);
    for (const r of sorted) ahead.observe(r);
    for (let i = 0; i < sorted.length; ) {
      const answer = this.#crm.request();
      if (answer === 'rate-limited') {
        if (bugs.has('no-retry')) throw new TideError('http_error', '429 Too Many Requests');
        continue;
      }
      if (answer === 'empty') {
        if (bugs.has('stops-on-empty-page')) break;
        continue;
      }
      const start = bugs.has('repeats-page-edges') && i > 0 ? i - 1 : i;
      const end = i + this.#crm.pageSize - (bugs.has('drops-page-tail') ? 1 : 0);
      const page = sorted.slice(start, end).filter((r) => tracker.observe(r));
      i += this.#crm.pageSize;
      const last = i >= sorted.length;
      const checkpoint = bugs.has('no-checkpoints') && !last ? null : tracker.state();
      yield { records: page, checkpoint: bugs.has('checkpoint-ahead') ? ahead.state() : checkpoint };
    }
    yield { records: [], checkpoint: tracker.state(), ...this.#deletesChecked(ctx) };
  }

  /** Every read returns deleted records since its bound, so each one checks deletes up to its start. */
  #deletesChecked(ctx: ReadContext): { deletesCheckedAt?: string } {
    if (this.#bugs.has('never-checks-deletes')) return {};
    if (this.#bugs.has('checks-deletes-at-cursor')) return { deletesCheckedAt: toIso(ANCHOR - 3_600_000) };
    return { deletesCheckedAt: ctx.runStartedAt.toISOString() };
  }
}

/** The fake CRM's source side; `bugs` break it. */
export function fakeSourceHarness(crm: FakeCrm, bugs: readonly SourceBug[] = []): SourceHarness {
  const broken = new Set(bugs);
  const source = (): Source => {
    const streams = [new FakeStream(crm, broken)];
    return { name: 'fake', kind: 'fake', streams: () => streams, check: async () => {} };
  };
  const touch = (records: readonly FakeRecord[], same: boolean): string[] => {
    crm.clock += 1000;
    return records.map((r, i) => {
      r.ms = same ? crm.clock : crm.clock + i;
      return r.id;
    });
  };
  let added = 0;
  return {
    source: source(),
    fresh: source,
    streams: ['contacts'],
    pageSize: crm.pageSize,
    now: async () => new Date(crm.clock + 10_000),
    truth: async () => new Map([...crm.records.values()].map((r) => [r.id, r.deleted])),
    mutate: async (_stream, n, options) => touch(crm.pick(n), options?.sameInstant === true),
    async remove(_stream, n) {
      const picked = crm.pick(n);
      for (const r of picked) r.deleted = true;
      return touch(picked, false);
    },
    async addCustomField(_stream, n) {
      const field = `custom_${++added}`;
      crm.fields.push(field);
      const picked = crm.pick(n);
      for (const r of picked) r.fields[field] = `value of ${r.id}`;
      return { field, ids: touch(picked, false) };
    },
    async fault(f: SimulatorFault) {
      if (f.kind === 'rate-limit') crm.faults.rateLimit += f.count;
      else crm.faults.emptyPages += f.count;
    },
    pendingFaults: async () => crm.faults.rateLimit + crm.faults.emptyPages,
    calls: async () => crm.calls,
  };
}

export type DestinationBug =
  /** Sends each record of a batch in a call of its own although the CRM takes batches. */
  | 'one-call-per-record'
  /** Also writes a field the sync does not map. */
  | 'writes-unmapped'
  /** A 429 fails the write. */
  | 'no-retry'
  /** One refused record fails its whole batch. */
  | 'all-or-nothing'
  /** Reads no current values, so fill-empty overwrites. */
  | 'blind-reads'
  /** Describes the number field as text, so nothing is validated before the call. */
  | 'untyped-fields';

/** The fake CRM's destination side (reverse/memory-crm.ts underneath); `bugs` break it. */
export function fakeDestinationHarness(bugs: readonly DestinationBug[] = []): DestinationHarness {
  const crm = new MemoryCrm();
  crm.seed(1200, (i) => ({ tier: i % 2 === 0 ? 'gold' : 'silver' }));
  const broken = new Set(bugs);
  let rateLimits = 0;
  let handedOut = 0;
  let httpWrites = 0;
  const send = async (
    target: WriteTarget,
    records: readonly WriteRecord[],
  ): Promise<readonly WriteOutcome[]> => {
    if (rateLimits > 0) {
      rateLimits--;
      if (broken.has('no-retry')) throw new TideError('http_error', '429 Too Many Requests');
    }
    if (broken.has('all-or-nothing') && records.some((r) => !crm.records.has(r.matchValue)))
      return records.map((r) => ({ status: 'rejected', key: r.key, reason: 'OBJECT_NOT_FOUND in batch' }));
    httpWrites++;
    const sent = broken.has('writes-unmapped')
      ? records.map((r) => ({ ...r, values: { ...r.values, tier: 'gold' } }))
      : records;
    return crm.write(target, sent);
  };
  const destination: Destination = {
    name: crm.name,
    vendor: crm.vendor,
    capabilities: crm.capabilities,
    maxBatchSize: crm.maxBatchSize,
    defaultConcurrency: crm.defaultConcurrency,
    async fields() {
      const fields = await crm.fields();
      if (!broken.has('untyped-fields')) return fields;
      return fields.map((f) => (f.name === 'score' ? { ...f, type: 'string' as const } : f));
    },
    async readCurrent(target, records) {
      return broken.has('blind-reads') ? new Map() : crm.readCurrent(target, records);
    },
    async write(target, records) {
      if (!broken.has('one-call-per-record')) return send(target, records);
      const out: WriteOutcome[] = [];
      for (const r of records) out.push(...(await send(target, [r])));
      return out;
    },
  };
  const current = (id: string, field: string): unknown => crm.records.get(id)?.[field];
  return {
    destination,
    object: 'contacts',
    numberField: 'score',
    textField: 'note',
    batchWrites: true,
    async existingIds(n) {
      const ids = [...crm.records.keys()].slice(handedOut, handedOut + n);
      handedOut += n;
      return ids;
    },
    valueOf: async (id, field) => current(id, field),
    valuesOf: async (ids, field) =>
      new Map(ids.filter((id) => crm.records.has(id)).map((id) => [id, current(id, field)])),
    snapshot: async (id) => ({ ...crm.records.get(id) }),
    async edit(id, field, value) {
      const record = crm.records.get(id);
      if (record === undefined) throw new Error(`no record ${id}`);
      record[field] = value;
    },
    unwritableId: async () => '99999',
    rejectionReason: /^OBJECT_NOT_FOUND/,
    writeCalls: async () => httpWrites,
    async fault(f) {
      if (f.kind === 'rate-limit') rateLimits += f.count;
    },
    pendingFaults: async () => rateLimits,
  };
}
