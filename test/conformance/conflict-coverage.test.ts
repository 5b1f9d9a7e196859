import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONNECTORS } from '../../connectors/registry.js';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Field ownership is proven per CRM: every connector in the registry that can write (reverse ETL) runs
 * the conflict suite through its simulator, in test/connectors/<kind>/<kind>-conflicts.test.ts.
 */
describe('the conflict suite covers every destination in the registry', () => {
  const writers = CONNECTORS.filter((c) => c.capabilities !== null).map((c) => c.kind);

  it('lists at least the four first CRMs', () => {
    expect(writers).toEqual(expect.arrayContaining(['hubspot', 'salesforce', 'pipedrive', 'zoho']));
  });

  it.each(writers)('%s runs describeConflictConformance', (kind) => {
    const file = join(ROOT, 'test', 'connectors', kind, `${kind}-conflicts.test.ts`);
    expect(existsSync(file), `${file} is missing`).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/describeConflictConformance\(\s*'[^']+'/);
  });
});
