import type { ColumnSpec } from '../../core/column-spec.js';
import { toIso } from '../../core/cursor-state.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext, Source, Stream } from '../../core/source.js';
import { TideError } from '../../core/tide-error.js';
import { CursorTracker, lowerBound } from '../../extract/cursor.js';

/**
 * An in-memory CRM for runner tests: records sorted by (updatedAt, id), read in pages with the shared
 * cursor module, with switches that make it fail after N pages.
 */
export class FakeStream implements Stream {
  readonly name: string;
  readonly cursorField = 'updated';
  readonly records = new Map<string, SourceRecord>();
  pageSize = 10;
  /** Throw this after yielding this many pages of the next read. */
  failAfterPages: { pages: number; error: Error } | null = null;
  pagesServed = 0;

  constructor(name: string) {
    this.name = name;
  }

  put(id: string, second: number, fields: Record<string, unknown> = {}, deleted = false): void {
    this.records.set(id, {
      id,
      updatedAt: toIso(Date.UTC(2026, 0, 1, 0, 0, 0) + second * 1000),
      deleted,
      fields: { name: `n${id}`, ...fields },
    });
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return [
      { name: 'name', type: 'string' },
      { name: 'amount', type: 'number' },
    ];
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const previous = ctx.fullRefresh ? null : ctx.cursor;
    const tracker = new CursorTracker(previous, ctx.runStartedAt);
    const from = lowerBound(previous, { overlapMs: 0, startDate: ctx.startDate })?.getTime() ?? 0;
    const sorted = [...this.records.values()]
      .filter((r) => Date.parse(r.updatedAt) >= from)
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
    let pages = 0;
    for (let i = 0; i < sorted.length; i += this.pageSize) {
      if (this.failAfterPages && pages >= this.failAfterPages.pages) throw this.failAfterPages.error;
      const page = sorted.slice(i, i + this.pageSize).filter((r) => tracker.observe(r));
      pages++;
      this.pagesServed++;
      yield { records: page, checkpoint: tracker.state() };
    }
    yield { records: [], checkpoint: tracker.state() };
  }
}

export function fakeSource(name: string, streams: readonly FakeStream[]): Source {
  return { name, kind: 'fake', streams: () => streams, check: async () => {} };
}

export const quotaError = (): TideError => new TideError('quota_exhausted', 'daily API allowance spent');

export const rateLimitedError = (): TideError =>
  new TideError('rate_limited', 'still rate limited and the run has spent its wait budget');
