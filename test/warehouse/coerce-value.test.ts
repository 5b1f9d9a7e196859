import { describe, expect, it } from 'vitest';
import { coerceValue, jsonText } from '../../load/coerce-value.js';
import { parseTimestampMs } from '../../load/parse-timestamp.js';

describe('coerceValue (warehouse-independent)', () => {
  it('returns typed JS values, not strings', () => {
    expect(coerceValue('123.5', 'number')).toBe(123.5);
    expect(coerceValue('-0', 'integer')).toBe(0);
    expect(Object.is(coerceValue('-0', 'integer'), -0)).toBe(false);
    expect(coerceValue('9223372036854775807', 'integer')).toBe(9223372036854775807n);
    expect(coerceValue('9223372036854775808', 'integer')).toBeNull();
    expect(coerceValue(2n ** 70n, 'integer')).toBeNull();
    expect(coerceValue(' yes ', 'boolean')).toBe(true);
    expect(coerceValue('1706702400000', 'timestamp')).toEqual(new Date('2024-01-31T12:00:00.000Z'));
    expect(coerceValue(new Date('2024-01-31T23:59:59.999Z'), 'date')).toBe('2024-01-31');
    expect(coerceValue({ big: 12n }, 'json')).toBe('{"big":"12"}');
    expect(coerceValue('{not json', 'json')).toBe('"{not json"');
  });

  it('gives null for null, undefined and values of the wrong shape', () => {
    for (const type of ['string', 'integer', 'number', 'boolean', 'timestamp', 'date', 'json'] as const) {
      expect(coerceValue(null, type)).toBeNull();
      expect(coerceValue(undefined, type)).toBeNull();
    }
    expect(coerceValue({ a: 1 }, 'number')).toBeNull();
    expect(coerceValue([true], 'boolean')).toBeNull();
    expect(coerceValue(Number.POSITIVE_INFINITY, 'number')).toBeNull();
    expect(coerceValue(new Date(Number.NaN), 'string')).toBeNull();
  });

  it('reads zone-less timestamps as UTC whatever the machine time zone', () => {
    expect(parseTimestampMs('2024-01-31 12:00')).toBe(Date.UTC(2024, 0, 31, 12, 0));
    expect(parseTimestampMs('2024-01-31T12:00:00.5')).toBe(Date.UTC(2024, 0, 31, 12, 0, 0, 500));
    expect(parseTimestampMs('2024-01-31T12:00:00-0530')).toBe(Date.UTC(2024, 0, 31, 17, 30));
  });

  it('rejects impossible dates, out-of-range parts and years a warehouse cannot store', () => {
    for (const bad of [
      '2023-02-29',
      '2024-13-01',
      '2024-01-32',
      '2024-01-31T24:00:00Z',
      '2024-01-31T12:60:00Z',
    ]) {
      expect(parseTimestampMs(bad), bad).toBeNull();
    }
    expect(parseTimestampMs('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseTimestampMs('9999-12-31T23:59:59.999Z')).not.toBeNull();
    expect(parseTimestampMs(253402300800000)).toBeNull();
    expect(parseTimestampMs('0000-12-31T23:59:59Z')).toBeNull();
  });

  it('serializes cyclic values as null instead of throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(jsonText(cyclic)).toBeNull();
    expect(coerceValue(cyclic, 'json')).toBeNull();
  });
});
