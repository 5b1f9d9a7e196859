import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorHarness } from '../../conformance/connector-harness.js';
import { describeSourceConformance } from '../../conformance/source-conformance.js';
import { runTestSync } from '../../reverse/sync-harness.js';
import { createTable, memoryWarehouse } from '../../reverse/warehouse-fixture.js';
import { zohoHarness, zohoTestbed } from './zoho-harness.js';

// The shared source suite, over Zoho's side of the ConnectorHarness contract (zoho-harness.ts).
describeSourceConformance('zoho', async () => {
  const harness = zohoHarness(await zohoTestbed(), ['Contacts', 'Leads', 'Accounts', 'Deals']);
  return { ...harness.source, close: () => harness.close() };
});

/**
 * The destination side of the harness, through the reverse engine, until the shared destination suite
 * lists Zoho: at most 100 records a call and ⌈changed/100⌉ calls, only mapped fields change, a record
 * Zoho refuses is isolated with the reason the harness announces, and an unchanged rerun writes nothing.
 */
describe('destination harness: zoho', () => {
  let harness: ConnectorHarness;
  beforeAll(async () => {
    harness = zohoHarness(await zohoTestbed({ seed: 9, scale: 1500 }));
  });
  afterAll(() => harness.close());

  it('writes a number and a text field to 150 records in 2 calls, touching nothing else', async () => {
    const d = harness.destination!;
    const ids = [...(await d.existingIds(149)), await d.unwritableId()];
    const before = await d.snapshot(ids[0]!);
    const warehouse = await memoryWarehouse();
    try {
      await createTable(
        warehouse,
        'analytics.push_me',
        ids.map((id, i) => ({ id, n: i + 0.25, t: `text ${i}` })),
        { id: 'VARCHAR', n: 'DOUBLE', t: 'VARCHAR' },
      );
      const sync = {
        name: 'conformance',
        from: 'analytics.push_me',
        to: { crm: harness.kind, object: d.object },
        match: { by: 'id' as const, column: 'id' },
        fields: { n: d.numberField, t: d.textField },
      };
      const callsBefore = await d.writeCalls();
      const report = await runTestSync({ warehouse, destination: d.destination, sync });
      expect(report.counts).toMatchObject({ written: 149, rejected: 1 });
      expect(report.rejections[0]?.reason).toMatch(/^INVALID_DATA: .*\(id\)$/);
      expect((await d.writeCalls()) - callsBefore).toBe(d.batchWrites ? 2 : 149);
      expect(await d.valueOf(ids[3]!, d.numberField)).toBe(3.25);
      expect(await d.valueOf(ids[3]!, d.textField)).toBe('text 3');
      const after = await d.snapshot(ids[0]!);
      expect({ ...after, [d.numberField]: undefined, [d.textField]: undefined }).toEqual({
        ...before,
        [d.numberField]: undefined,
        [d.textField]: undefined,
      });
      const callsAgain = await d.writeCalls();
      const again = await runTestSync({ warehouse, destination: d.destination, sync });
      expect(again.plan).toMatchObject({ unchanged: 149 });
      expect((await d.writeCalls()) - callsAgain).toBeLessThanOrEqual(1);
    } finally {
      await warehouse.close();
    }
  });
});
