import { describe, expect, it } from 'vitest';
import { toIso } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import { loadedBy, type StreamRead } from './read-stream.js';
import { checkIncremental, checkMatchesTruth, checkRecordShape } from './source-conformance.js';

const rec = (id: string, s: number, deleted = false): SourceRecord => ({
  id,
  updatedAt: toIso(Date.UTC(2026, 0, 1, 0, 0, s)),
  deleted,
  fields: {},
});

/** The conformance checks must be able to fail: each broken source below is caught. */
describe('source conformance checks catch broken sources', () => {
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
  });

  it('catches malformed records', () => {
    expect(() => checkRecordShape([{ ...rec('1', 1), updatedAt: '2026-01-01 00:00:00' }])).toThrow(/not ISO/);
    expect(() => checkRecordShape([{ ...rec('', 1) }])).toThrow(/without id/);
  });

  it('catches a source without a deletions feed whose id listing misses a delete, or that lists nothing', () => {
    const before = [rec('1', 1), rec('2', 2), rec('3', 3, true)];
    const afterDelete = new Map([
      ['1', false],
      ['2', true],
      ['3', true],
    ]);
    const read = (listed: readonly string[] | null): StreamRead =>
      ({
        records: [],
        checkpoints: [],
        cursor: null,
        listed: listed === null ? null : new Set(listed),
      }) as unknown as StreamRead;
    expect(() => checkMatchesTruth([...before, ...loadedBy(before, read(['1']))], afterDelete)).not.toThrow();
    expect(() => checkMatchesTruth([...before, ...loadedBy(before, read(['1', '2']))], afterDelete)).toThrow(
      /wrong deleted flag 1/,
    );
    expect(() => checkIncremental(loadedBy(before, read(null)), ['2'], 3)).toThrow(/missed 1/);
  });
});
