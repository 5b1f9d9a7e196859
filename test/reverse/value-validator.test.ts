import { describe, expect, it } from 'vitest';
import type { CrmField } from '../../core/destination.js';
import { validateValue } from '../../reverse/value-validator.js';

function field(type: CrmField['type'], extra: Partial<CrmField> = {}): CrmField {
  return { name: 'f', label: 'F', type, vendorType: type, readOnlyReason: null, unique: false, ...extra };
}
const ok = (f: CrmField, v: unknown): unknown => {
  const r = validateValue(f, v);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(v)} to pass: ${r.reason}`);
  return r.value;
};
const reason = (f: CrmField, v: unknown): string => {
  const r = validateValue(f, v);
  if (r.ok) throw new Error(`expected ${JSON.stringify(v)} to be rejected, got ${JSON.stringify(r.value)}`);
  return r.reason;
};

describe('validateValue', () => {
  it('passes NULL through for every type (the sync decides what NULL means)', () => {
    for (const t of ['string', 'number', 'date', 'enumeration', 'unsupported'] as const) {
      expect(validateValue(field(t), null)).toEqual({ ok: true, value: null });
      expect(validateValue(field(t), undefined)).toEqual({ ok: true, value: null });
    }
  });

  it('numbers: numeric strings and bigints accepted, ranges and whole numbers enforced', () => {
    const n = field('number', { min: 0, max: 100 });
    expect(ok(n, 42)).toBe(42);
    expect(ok(n, ' 7.5 ')).toBe(7.5);
    expect(ok(n, 12n)).toBe(12);
    expect(reason(n, 101)).toBe('f: 101 is above the maximum 100');
    expect(reason(n, -1)).toBe('f: -1 is below the minimum 0');
    expect(reason(n, 'abc')).toContain('is not a number');
    expect(reason(n, Number.NaN)).toContain('not a finite number');
    expect(reason(field('number', { scale: 0 }), 2.5)).toContain('not a whole number');
    expect(ok(field('number', { scale: 2 }), 1.23456)).toBe(1.23);
    expect(reason(n, [1, 2])).toContain('a list cannot be written');
    expect(reason(n, { a: 1 })).toContain('JSON object cannot be written');
  });

  it('enumerations: by value or (unique, case-insensitive) label, else the allowed values are named', () => {
    const e = field('enumeration', {
      options: [
        { value: 'hot', label: 'Hot lead' },
        { value: 'cold', label: 'Cold' },
      ],
    });
    expect(ok(e, 'hot')).toBe('hot');
    expect(ok(e, 'hot LEAD')).toBe('hot');
    expect(reason(e, 'warm')).toBe('f: "warm" is not an option (allowed: hot, cold)');
    const m = field('multi-enumeration', {
      options: [
        { value: 'a', label: 'A' },
        { value: 'b', label: 'B' },
      ],
    });
    expect(ok(m, 'a;B')).toEqual(['a', 'b']);
    expect(ok(m, ['b', 'a', 'b'])).toEqual(['b', 'a']);
    expect(reason(m, 'a;z')).toContain('"z" is not an option');
  });

  it('strings: length counted in characters against the field limit', () => {
    const s = field('string', { maxLength: 5 });
    expect(ok(s, 'héllo')).toBe('héllo');
    expect(ok(s, 12)).toBe('12');
    expect(reason(s, 'toolong')).toBe("f: 7 characters is longer than the field's 5");
  });

  it('emails and phones', () => {
    expect(ok(field('email'), ' Ana@Example.com ')).toBe('Ana@Example.com');
    expect(reason(field('email'), 'not-an-email')).toContain('is not an email address');
    expect(reason(field('email'), 'a@b')).toContain('is not an email address');
    expect(ok(field('phone'), '+1 (555) 010-2030 ext 12')).toBe('+1 (555) 010-2030 ext 12');
    expect(reason(field('phone'), 'call me')).toContain('is not a phone number');
  });

  it('dates: real calendar days, no time of day', () => {
    const d = field('date');
    expect(ok(d, '2024-02-29')).toBe('2024-02-29');
    expect(ok(d, '2024-03-01T00:00:00.000Z')).toBe('2024-03-01');
    expect(ok(d, new Date('2024-03-01T00:00:00Z'))).toBe('2024-03-01');
    expect(reason(d, '2023-02-29')).toContain('not a real date');
    expect(reason(d, '2024-03-01T13:00:00Z')).toContain('has a time of day');
    expect(reason(d, '03/01/2024')).toContain('is not a date (YYYY-MM-DD)');
  });

  it('date-times: ISO with or without zone (UTC assumed), epoch ms', () => {
    const t = field('datetime');
    expect(ok(t, '2024-03-01T10:20:30Z')).toBe('2024-03-01T10:20:30.000Z');
    expect(ok(t, '2024-03-01 10:20:30')).toBe('2024-03-01T10:20:30.000Z');
    expect(ok(t, '2024-03-01T10:20:30+02:00')).toBe('2024-03-01T08:20:30.000Z');
    expect(ok(t, 0)).toBe('1970-01-01T00:00:00.000Z');
    expect(reason(t, 'yesterday')).toContain('is not a date-time');
    expect(reason(t, '2024-13-01T00:00:00Z')).toContain('is not a date-time');
  });

  it('booleans and unsupported fields', () => {
    expect(ok(field('boolean'), 'TRUE')).toBe(true);
    expect(ok(field('boolean'), 0)).toBe(false);
    expect(reason(field('boolean'), 'maybe')).toContain('is not true or false');
    expect(reason(field('unsupported', { vendorType: 'address' }), 'x')).toBe(
      'f: Tide cannot write address fields',
    );
  });
});
