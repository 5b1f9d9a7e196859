import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../core/record.js';
import { safeRecord, safeText } from '../../extract/safe-text.js';

const record = (fields: Record<string, unknown>, id = '1'): SourceRecord => ({
  id,
  updatedAt: '2026-01-01T00:00:00.000Z',
  deleted: false,
  fields,
});

describe('safeText / safeRecord', () => {
  it('replaces lone surrogates and NUL with U+FFFD and keeps well-formed pairs', () => {
    expect(safeText('x\ud800y')).toBe('x\ufffdy');
    expect(safeText('\udc00')).toBe('\ufffd');
    expect(safeText('end\ud83d')).toBe('end\ufffd');
    expect(safeText('a\u0000b\u0000')).toBe('a\ufffdb\ufffd');
    expect(safeText('😀 \ud83d\ude00')).toBe('😀 😀');
    expect(safeText('\ude00\ud83d')).toBe('\ufffd\ufffd'); // reversed halves are not a pair
    const clean = 'plain text, tabs\tand newlines\n';
    expect(safeText(clean)).toBe(clean);
  });

  it('cleans ids, keys and nested values, counts what it changed, and copies only dirty records', () => {
    const found = { values: 0 };
    const clean = record({ a: 'ok', n: 1, list: ['x', { y: 'z' }], when: new Date(0) });
    expect(safeRecord(clean, found)).toBe(clean);
    expect(found.values).toBe(0);

    const dirty = record({ 'k\u0000': 'v', list: ['ok', { deep: 'a\ud800' }], same: 'fine' }, 'i\udc00d');
    const out = safeRecord(dirty, found);
    expect(out).not.toBe(dirty);
    expect(out.id).toBe('i\ufffdd');
    expect(out.fields).toEqual({ 'k\ufffd': 'v', list: ['ok', { deep: 'a\ufffd' }], same: 'fine' });
    expect(found.values).toBe(3);
    expect(JSON.stringify(out.fields)).not.toMatch(/\\u(d[89a-f]|0000)/i);
  });
});
