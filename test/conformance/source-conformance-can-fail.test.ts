import { describe, expect, it } from 'vitest';
import { toIso } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { FakeCrm, fakeSourceHarness, type SourceBug } from './fake-crm-harness.js';
import { loadedBy, type StreamRead } from './read-stream.js';
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
import { SOURCE_CASES, type SourceCase, SourceSuite } from './source-conformance.js';

const rec = (id: string, s: number, deleted = false, fields: Record<string, unknown> = {}): SourceRecord => ({
  id,
  updatedAt: toIso(Date.UTC(2026, 0, 1, 0, 0, s)),
  deleted,
  fields,
});

/** The conformance checks must be able to fail: each broken read below is caught. */
describe('source checks catch broken reads', () => {
  const truth = new Map([
    ['1', false],
    ['2', false],
    ['3', true],
  ]);

  it('accepts a correct read', () => {
    expect(() => checkMatchesTruth([rec('1', 1), rec('2', 2), rec('3', 3, true)], truth)).not.toThrow();
  });

  it('catches a source that drops the last record of a page', () => {
    expect(() => checkMatchesTruth([rec('1', 1), rec('3', 3, true)], truth)).toThrow(/missing 1/);
  });

  it('catches a source that misses deletes', () => {
    expect(() => checkMatchesTruth([rec('1', 1), rec('2', 2), rec('3', 3)], truth)).toThrow(
      /wrong deleted flag 1/,
    );
    expect(() => checkDeleted([rec('3', 3)], ['3'])).toThrow(/not flagged deleted: 1/);
    expect(() => checkDeleted([rec('3', 3, true)], ['3'])).not.toThrow();
  });

  it('catches a source whose older duplicate would win', () => {
    expect(() =>
      checkMatchesTruth([rec('1', 1), rec('2', 2), rec('3', 3, true), rec('3', 1, false)], truth),
    ).not.toThrow();
    expect(() =>
      checkMatchesTruth([rec('1', 1), rec('2', 2), rec('3', 1, true), rec('3', 3, false)], truth),
    ).toThrow(/wrong deleted/);
  });

  it('catches an "incremental" read that re-reads the whole table or misses a change', () => {
    const table = Array.from({ length: 2000 }, (_, i) => rec(String(i), 1));
    expect(() => checkIncremental(table, ['5'], 2000)).toThrow(/returned 2000 records for 1 changes/);
    expect(() => checkIncremental([rec('5', 2)], ['5', '6'], 2000)).toThrow(/missed 1/);
    expect(() => checkContains([rec('5', 2)], ['5'], 'a read')).not.toThrow();
  });

  it('catches malformed records', () => {
    expect(() => checkRecordShape([{ ...rec('1', 1), updatedAt: '2026-01-01 00:00:00' }])).toThrow(/not ISO/);
    expect(() => checkRecordShape([{ ...rec('', 1) }])).toThrow(/without id/);
  });

  it('catches a version read twice, across a crash or within one read', () => {
    expect(() => checkEachVersionOnce([rec('1', 1)], [rec('1', 1)])).toThrow(/read twice: 1/);
    expect(() => checkEachVersionOnce([rec('1', 1)], [rec('1', 2)])).not.toThrow();
    expect(() => checkEachIdOnce([rec('1', 1), rec('2', 1), rec('1', 2)])).toThrow(/more than once/);
    expect(() => checkEachIdOnce([rec('1', 1), rec('2', 1)])).not.toThrow();
  });

  it('catches a tie read without a checkpoint inside it, or one that fit a page', () => {
    expect(() => checkCheckpointInsideTie([], ['1', '2'])).toThrow(/no checkpoint/);
    expect(() => checkCheckpointInsideTie([rec('1', 1), rec('2', 1)], ['1', '2'])).toThrow(/fit one page/);
    expect(() => checkCheckpointInsideTie([rec('1', 1)], ['1', '2'])).not.toThrow();
  });

  it('catches a custom field missing from the columns or the records', () => {
    const columns = [{ name: 'x', type: 'string' as const }];
    expect(() => checkCustomField([], [rec('1', 1, false, { x: 'v' })], 'x', ['1'])).toThrow(/does not list/);
    expect(() => checkCustomField(columns, [rec('1', 1, false, { x: null })], 'x', ['1'])).toThrow(
      /missing on 1/,
    );
    expect(() => checkCustomField(columns, [rec('1', 1, false, { x: 'v' })], 'x', ['1'])).not.toThrow();
  });

  it('catches a full refresh that does not say when it checked deletes, or names another time', () => {
    const started = new Date('2026-01-01T00:00:00.000Z');
    const ended = new Date('2026-01-01T00:05:00.000Z');
    expect(() => checkDeletesChecked(null, started, ended)).toThrow(/did not say/);
    expect(() => checkDeletesChecked('2025-12-31T00:00:00.000Z', started, ended)).toThrow(/not the read/);
    expect(() => checkDeletesChecked('2026-01-01 00:00:00', started, ended)).toThrow(/not ISO/);
    expect(() => checkDeletesChecked('2026-01-01T00:00:01.000Z', started, ended)).not.toThrow();
  });

  it('catches a case that never met its fault', () => {
    expect(() => checkFaultServed(1, 'rate-limit')).toThrow(/never served/);
    expect(() => checkFaultServed(0, 'rate-limit')).not.toThrow();
  });

  it('catches a source without a deletions feed whose id listing misses a delete, or that lists nothing', () => {
    const before = [rec('1', 1), rec('2', 2), rec('3', 3, true)];
    const afterDelete = new Map([
      ['1', false],
      ['2', true],
      ['3', true],
    ]);
    const read = (listed: readonly string[] | null): StreamRead => ({
      records: [],
      checkpoints: [],
      cursor: null,
      log: new MemoryLogger(),
      listed: listed === null ? null : new Set(listed),
      deletesCheckedAt: null,
    });
    expect(() => checkMatchesTruth([...before, ...loadedBy(before, read(['1']))], afterDelete)).not.toThrow();
    expect(() => checkMatchesTruth([...before, ...loadedBy(before, read(['1', '2']))], afterDelete)).toThrow(
      /wrong deleted flag 1/,
    );
    expect(() => checkIncremental(loadedBy(before, read(null)), ['2'], 3)).toThrow(/missed 1/);
  });
});

/** The cases themselves, against an in-memory CRM: each passes when it is correct, fails on its bug. */
describe('source cases catch broken sources', () => {
  const byName = (fragment: string): SourceCase => {
    const found = SOURCE_CASES.find((c) => c.name.includes(fragment));
    if (found === undefined) throw new Error(`no source case "${fragment}"`);
    return found;
  };
  const suiteWith = (bugs: readonly SourceBug[]): SourceSuite =>
    new SourceSuite('fake', fakeSourceHarness(new FakeCrm(600), bugs));

  it('every case passes against a correct source', async () => {
    const suite = suiteWith([]);
    for (const c of SOURCE_CASES) await c.run(suite);
  });

  const caught: readonly [SourceBug, string][] = [
    ['repeats-columns', 'declares its streams'],
    ['drops-page-tail', 'a first run'],
    ['rereads-everything', 'an incremental run'],
    ['ignores-deletes', 'deletes arrive'],
    ['no-checkpoints', 'ties at one timestamp'],
    ['exclusive-resume', 'ties at one timestamp'],
    ['checkpoint-ahead', 'a crash mid-stream'],
    ['repeats-page-edges', 'an overlapping re-read'],
    ['fixed-columns', 'a custom field'],
    ['stops-on-empty-page', 'empty pages'],
    ['no-retry', 'a 429'],
    ['never-checks-deletes', 'a full refresh says'],
    ['checks-deletes-at-cursor', 'a full refresh says'],
  ];
  for (const [bug, fragment] of caught) {
    it(`"${fragment}…" fails on a source that ${bug.replace(/-/g, ' ')}`, async () => {
      await expect(byName(fragment).run(suiteWith([bug]))).rejects.toThrow();
    });
  }
});
