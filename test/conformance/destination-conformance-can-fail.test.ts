import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../load/warehouse.js';
import { memoryWarehouse } from '../reverse/warehouse-fixture.js';
import {
  checkBatchSizes,
  checkOnlyMapped,
  checkRejection,
  checkValues,
  checkWriteCalls,
} from './destination-checks.js';
import { DESTINATION_CASES, type DestinationCase, DestinationSuite } from './destination-conformance.js';
import { type DestinationBug, fakeDestinationHarness } from './fake-crm-harness.js';

/** The destination checks must be able to fail: each broken write below is caught. */
describe('destination checks catch broken writes', () => {
  it('catches calls over 100 records, and a wrong number of calls', () => {
    expect(() => checkBatchSizes([100, 100, 50])).not.toThrow();
    expect(() => checkBatchSizes([100, 150])).toThrow(/more than 100 records: 150/);
    expect(() => checkWriteCalls(3, 250, true)).not.toThrow();
    expect(() => checkWriteCalls(250, 250, true)).toThrow(/expected 3/);
    expect(() => checkWriteCalls(250, 250, false)).not.toThrow();
    expect(() => checkWriteCalls(3, 250, false)).toThrow(/expected 250/);
  });

  it('catches values the CRM does not hold', () => {
    expect(() => checkValues(new Map([['1', 21.25]]), new Map([['1', '21.25']]))).not.toThrow();
    expect(() => checkValues(new Map([['1', 21.25]]), new Map([['1', 21]]))).toThrow(/1: 21/);
    expect(() => checkValues(new Map([['1', 0]]), new Map([['1', null]]))).toThrow(/does not hold/);
    expect(() => checkValues(new Map([['1', 'a']]), new Map())).toThrow(/does not hold/);
  });

  it('catches an unmapped field written, or a mapped one left alone', () => {
    expect(() => checkOnlyMapped({ a: 1, s: 1 }, { a: 1, s: 2 }, ['s'])).not.toThrow();
    expect(() => checkOnlyMapped({ a: 1, s: 1 }, { a: 2, s: 2 }, ['s'])).toThrow(/does not map changed: a/);
    expect(() => checkOnlyMapped({ s: 1 }, { s: 1 }, ['s'])).toThrow(/were not written: s/);
  });

  it('catches a rejection of the wrong record or without the CRM’s reason', () => {
    const bad = [{ key: '9', reason: 'OBJECT_NOT_FOUND: gone' }];
    expect(() => checkRejection(bad, '9', /^OBJECT_NOT_FOUND/)).not.toThrow();
    expect(() => checkRejection(bad, '8', /^OBJECT_NOT_FOUND/)).toThrow(/exactly record 8/);
    expect(() => checkRejection([...bad, { key: '7', reason: 'x' }], '9', /^OBJECT/)).toThrow(/exactly/);
    expect(() => checkRejection(bad, '9', /^NOT_FOUND/)).toThrow(/does not say/);
  });
});

/** The cases themselves, against an in-memory CRM: each passes when it is correct, fails on its bug. */
describe('destination cases catch broken writers', () => {
  const byName = (fragment: string): DestinationCase => {
    const found = DESTINATION_CASES.find((c) => c.name.includes(fragment));
    if (found === undefined) throw new Error(`no destination case "${fragment}"`);
    return found;
  };
  const withWarehouse = async (run: (warehouse: Warehouse) => Promise<void>): Promise<void> => {
    const warehouse = await memoryWarehouse();
    try {
      await run(warehouse);
    } finally {
      await warehouse.close();
    }
  };

  it('every case passes against a correct writer', async () => {
    const harness = fakeDestinationHarness();
    for (const c of DESTINATION_CASES)
      await withWarehouse((warehouse) => c.run(new DestinationSuite('hubspot', harness, warehouse)));
  });

  const caught: readonly [DestinationBug, string][] = [
    ['one-call-per-record', 'at most 100 records per call'],
    ['all-or-nothing', 'a record the CRM refuses'],
    ['untyped-fields', 'invalid values are rejected'],
    ['no-retry', 'a 429'],
    ['writes-unmapped', 'only the mapped fields'],
    ['blind-reads', 'fill-empty'],
  ];
  for (const [bug, fragment] of caught) {
    it(`"${fragment}…" fails on a writer that ${bug.replace(/-/g, ' ')}`, async () => {
      const harness = fakeDestinationHarness([bug]);
      await withWarehouse(async (warehouse) => {
        await expect(
          byName(fragment).run(new DestinationSuite('hubspot', harness, warehouse)),
        ).rejects.toThrow();
      });
    });
  }
});
