import { afterEach, beforeEach, describe, it } from 'vitest';
import { healChecks } from './heal-checks.js';
import { warehouseChecks } from './warehouse-checks.js';
import { type WarehouseFixtureFactory, WarehouseHarness } from './warehouse-harness.js';

export type { WarehouseFixture, WarehouseFixtureFactory } from './warehouse-harness.js';

/**
 * One line per warehouse: `describeWarehouseConformance('duckdb', factory)`. Every check gets a
 * fresh, empty warehouse from the factory.
 */
export function describeWarehouseConformance(name: string, factory: WarehouseFixtureFactory): void {
  describe(`Warehouse conformance: ${name}`, () => {
    let harness: WarehouseHarness;
    beforeEach(async () => {
      harness = new WarehouseHarness(await factory());
      await harness.start();
    });
    afterEach(async () => {
      await harness.end();
    });
    for (const [title, check] of Object.entries({ ...warehouseChecks, ...healChecks })) {
      it(title, () => check(harness));
    }
  });
}
