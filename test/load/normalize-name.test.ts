import { describe, expect, it } from 'vitest';
import { normalizeName, normalizeNames } from '../../load/normalize-name.js';

describe('normalizeName', () => {
  it.each([
    ['"; drop table x; --', 'drop_table_x'],
    ['FirstName', 'first_name'],
    ['Custom_Field__c', 'custom_field__c'],
    ['hs_object_id', 'hs_object_id'],
    ['123abc', '_123abc'],
    ['_tide_id', 'tide_id'],
    ['Émail Address', 'email_address'],
    ['BillingAddress.street', 'billing_address_street'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('never returns an empty, over-long or system-prefixed identifier', () => {
    for (const name of ['', '   ', '!!!', 'x'.repeat(200), '_tide_deleted', '__tide_id']) {
      const out = normalizeName(name);
      expect(out).toMatch(/^[a-z_][a-z0-9_]*$/);
      expect(out.length).toBeLessThanOrEqual(63);
      expect(out.startsWith('_tide_')).toBe(false);
    }
    expect(normalizeName('a'.repeat(100))).not.toBe(normalizeName(`${'a'.repeat(99)}b`));
  });

  it('keeps colliding names apart, the exact match keeping the plain name', () => {
    const map = normalizeNames(['email', 'Email', 'EMAIL']);
    expect(map.get('email')).toBe('email');
    expect(new Set(map.values()).size).toBe(3);
  });
});
