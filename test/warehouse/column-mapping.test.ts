import { describe, expect, it } from 'vitest';
import { ColumnMapping, SYSTEM_COLUMNS } from '../../load/column-mapping.js';
import { normalizeNames } from '../../load/normalize-name.js';

describe('ColumnMapping', () => {
  it('maps a first set of fields exactly like normalizeNames()', () => {
    const names = ['Email', 'email', 'firstName', '"; drop table x; --'];
    const mapping = new ColumnMapping();
    const added = mapping.add(names.map((name) => ({ name, type: 'string' as const })));
    const expected = normalizeNames(names);
    expect(added.map((c) => [c.field, c.column])).toEqual(names.map((n) => [n, expected.get(n)]));
  });

  it('keeps existing assignments when a colliding field shows up later', () => {
    const mapping = new ColumnMapping([{ field: 'Email', column: 'email', type: 'string' }]);
    const [added] = mapping.add([
      { name: 'email', type: 'string' },
      { name: 'Email', type: 'integer' },
    ]);
    expect(mapping.get('Email')).toEqual({ field: 'Email', column: 'email', type: 'string' });
    expect(added?.field).toBe('email');
    expect(added?.column).toMatch(/^email_[0-9a-f]{8}$/);
    expect(mapping.add([{ name: 'email', type: 'string' }])).toEqual([]);
  });

  it('never hands out a system column or the same column twice', () => {
    const mapping = new ColumnMapping();
    const fields = ['_tide_id', 'tide_id', 'TideId', 'tide-id', 'tide id', '__tide_id__'];
    const added = mapping.add(fields.map((name) => ({ name, type: 'string' as const })));
    const columns = added.map((c) => c.column);
    expect(new Set(columns).size).toBe(fields.length);
    for (const system of SYSTEM_COLUMNS) expect(columns).not.toContain(system);
  });
});
