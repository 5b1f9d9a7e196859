import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MACROS } from '../../transform/macros/macro-table.js';

describe('transform/README.md', () => {
  it('documents every macro a model can call', () => {
    const readme = readFileSync(new URL('../../transform/README.md', import.meta.url), 'utf8');
    const missing = [...MACROS.entries()]
      .filter(([, m]) => !readme.includes(`{{ ${m.signature} }}`))
      .map(([n]) => n);
    expect(missing).toEqual([]);
    expect(MACROS.size).toBeGreaterThan(40);
  });
});
