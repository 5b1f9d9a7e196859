import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectorFor } from '../../connectors/registry.js';
import type { Destination, WriteTarget } from '../../core/destination.js';
import type { Warehouse } from '../../load/warehouse.js';
import type { SyncReport } from '../../reverse/run-sync.js';
import type { SyncInput } from '../../reverse/sync-config.js';
import { killedAfterWrites, runTestSync } from '../reverse/sync-harness.js';
import { createTable, memoryWarehouse, rowsOf } from '../reverse/warehouse-fixture.js';
import type { ConnectorHarness, DestinationHarness } from './connector-harness.js';
import {
  checkBatchSizes,
  checkOnlyMapped,
  checkRejection,
  checkValues,
  checkWriteCalls,
  countingWrites,
} from './destination-checks.js';
import { checkFaultServed } from './source-checks.js';

const TABLE = 'analytics.conformance_scores';
const score = (i: number): number => ((i * 7) % 100) + 0.25;
const note = (i: number): string => `conformance note ${i}`;

/** What a destination case works with: the harness, a fresh DuckDB warehouse, and sync helpers. */
export class DestinationSuite {
  readonly kind: string;
  readonly d: DestinationHarness;
  readonly warehouse: Warehouse;

  constructor(kind: string, d: DestinationHarness, warehouse: Warehouse) {
    this.kind = kind;
    this.d = d;
    this.warehouse = warehouse;
  }

  /** The sync's source table: one row per id, score = f(i), note = g(i) (VARCHAR scores on request). */
  async table(
    ids: readonly string[],
    scoreOf: (i: number) => number | string = score,
    scoreType: 'DOUBLE' | 'VARCHAR' = 'DOUBLE',
  ): Promise<void> {
    const rows = ids.map((id, i) => ({ crm_id: id, score: scoreOf(i), note: note(i) }));
    await createTable(this.warehouse, TABLE, rows, { crm_id: 'VARCHAR', score: scoreType, note: 'VARCHAR' });
  }

  /** One sync run through the reverse engine, as `tide reverse` does it. */
  run(
    overrides: Partial<SyncInput> = {},
    extra: { destination?: Destination; dryRun?: boolean; signal?: AbortSignal } = {},
  ): Promise<SyncReport> {
    return runTestSync({
      warehouse: this.warehouse,
      destination: extra.destination ?? this.d.destination,
      sync: {
        name: 'conformance',
        from: TABLE,
        to: { crm: this.kind, object: this.d.object },
        match: { by: 'id', column: 'crm_id' },
        fields: { score: this.d.numberField, note: this.d.textField },
        ...overrides,
      },
      ...(extra.dryRun === undefined ? {} : { dryRun: extra.dryRun }),
      ...(extra.signal === undefined ? {} : { signal: extra.signal }),
    });
  }

  /** Runs `action` and counts the write requests the CRM served meanwhile. */
  async writes<T>(action: () => Promise<T>): Promise<{ result: T; calls: number }> {
    const before = await this.d.writeCalls();
    const result = await action();
    return { result, calls: (await this.d.writeCalls()) - before };
  }

  async expectScores(ids: readonly string[], scoreOf: (i: number) => number = score): Promise<void> {
    checkValues(
      new Map(ids.map((id, i) => [id, scoreOf(i)])),
      await this.d.valuesOf(ids, this.d.numberField),
    );
  }

  async expectEmpty(ids: readonly string[]): Promise<void> {
    const values = await this.d.valuesOf(ids, this.d.numberField);
    expect(
      [...values.values()].filter((v) => v !== null && v !== undefined && v !== ''),
      'values written',
    ).toEqual([]);
  }
}

export interface DestinationCase {
  readonly name: string;
  run(suite: DestinationSuite): Promise<void>;
}

/**
 * The destination contract, case by case: plain functions over a harness, so the can-fail test can
 * run them against a deliberately broken writer and see each one fail. Each case writes records no
 * other case touched (`existingIds` never repeats).
 */
export const DESTINATION_CASES: readonly DestinationCase[] = [
  {
    name: 'writes at most 100 records per call, ceil(changed/100) calls, then none when nothing changed',
    async run(s) {
      const ids = await s.d.existingIds(250);
      await s.table(ids);
      const counting = countingWrites(s.d.destination);
      const first = await s.writes(() => s.run({}, { destination: counting.destination }));
      expect(first.result.error).toBeNull();
      expect(first.result.counts).toMatchObject({ written: 250, rejected: 0, invalid: 0 });
      checkBatchSizes(counting.sizes);
      checkWriteCalls(first.calls, 250, s.d.batchWrites);
      await s.expectScores(ids);
      checkValues(new Map(ids.map((id, i) => [id, note(i)])), await s.d.valuesOf(ids, s.d.textField));

      const second = await s.writes(() => s.run());
      expect(second.result.plan).toMatchObject({ unchanged: 250 });
      expect(second.result.counts?.writeCalls).toBe(0);
      expect(second.calls, 'write calls when nothing changed').toBe(0);
    },
  },
  {
    name: 'a record the CRM refuses is rejected with its reason, the rest are written, and it is retried next run',
    async run(s) {
      const ids = [...(await s.d.existingIds(119))];
      const bad = await s.d.unwritableId();
      ids.splice(57, 0, bad);
      await s.table(ids);
      const report = await s.run();
      expect(report.counts).toMatchObject({ written: 119, rejected: 1 });
      checkRejection(report.rejections, bad, s.d.rejectionReason);
      const good = ids.filter((id) => id !== bad);
      checkValues(
        new Map(good.map((id) => [id, score(ids.indexOf(id))])),
        await s.d.valuesOf(good, s.d.numberField),
      );
      const log = await rowsOf(
        s.warehouse,
        `SELECT status FROM tide.push_log WHERE record_key = '${bad}' ORDER BY status <> 'sending'`,
      );
      // The write call's intent, committed before the call, then the CRM's answer for this record.
      expect(log).toEqual([{ status: 'sending' }, { status: 'rejected' }]);

      const again = await s.run();
      expect(again.plan).toMatchObject({ unchanged: 119, changedNew: 1, repeatedlyFailing: 1 });
      expect(again.counts, 'only the refused record is sent again').toMatchObject({
        writeCalls: 1,
        rejected: 1,
      });
    },
  },
  {
    name: 'invalid values are rejected before any call',
    async run(s) {
      const ids = await s.d.existingIds(30);
      const invalid = [ids[4] ?? '', ids[11] ?? ''];
      await s.table(ids, (i) => (i === 4 || i === 11 ? `lots ${i}` : String(score(i))), 'VARCHAR');
      const mixed = await s.writes(() => s.run());
      if (s.d.numberFieldTyped === false) {
        // A text field: the non-numbers are values like any other, written as sent.
        expect(mixed.result.counts).toMatchObject({ written: 30, invalid: 0 });
        checkValues(
          new Map(invalid.map((id) => [id, `lots ${ids.indexOf(id)}`])),
          await s.d.valuesOf(invalid, s.d.numberField),
        );
        return;
      }
      expect(mixed.result.counts).toMatchObject({ written: 28, invalid: 2 });
      expect(mixed.result.rejections.map((r) => r.key).sort()).toEqual([...invalid].sort());
      checkWriteCalls(mixed.calls, 28, s.d.batchWrites);
      await s.expectEmpty(invalid);

      const all = await s.d.existingIds(3);
      await s.table(all, (i) => `not a number ${i}`, 'VARCHAR');
      const none = await s.writes(() => s.run({ name: 'conformance_invalid', maxRejectRate: 1 }));
      expect(none.result.counts).toMatchObject({ written: 0, invalid: 3, writeCalls: 0 });
      expect(none.calls, 'write calls when every record is invalid').toBe(0);
    },
  },
  {
    name: 'a 429 is waited out: the sync completes and writes each record once',
    async run(s) {
      const ids = await s.d.existingIds(150);
      await s.table(ids);
      await s.d.fault({ kind: 'rate-limit', count: 1 });
      const report = await s.writes(() => s.run());
      checkFaultServed(await s.d.pendingFaults(), 'rate-limit');
      expect(report.result.error).toBeNull();
      expect(report.result.counts).toMatchObject({ written: 150, rejected: 0 });
      checkWriteCalls(report.calls, 150, s.d.batchWrites);
      await s.expectScores(ids);
    },
  },
  {
    name: 'writes only the mapped fields',
    async run(s) {
      const ids = await s.d.existingIds(4);
      await s.table(ids);
      const before = await Promise.all(ids.map((id) => s.d.snapshot(id)));
      const report = await s.run({ name: 'conformance_mapped', fields: { score: s.d.numberField } });
      expect(report.counts).toMatchObject({ written: 4 });
      const after = await Promise.all(ids.map((id) => s.d.snapshot(id)));
      for (const [i, now] of after.entries()) checkOnlyMapped(before[i] ?? {}, now, [s.d.numberField]);
    },
  },
  {
    name: 'a dry run writes nothing',
    async run(s) {
      const ids = await s.d.existingIds(20);
      await s.table(ids);
      const report = await s.writes(() => s.run({}, { dryRun: true }));
      expect(report.result.plan).toMatchObject({ changedNew: 20 });
      expect(report.calls).toBe(0);
      await s.expectEmpty(ids);
    },
  },
  {
    name: 'fill-empty reads current values in batches and never overwrites',
    async run(s) {
      const ids = await s.d.existingIds(120);
      const preset = ids.slice(0, 3);
      const target: WriteTarget = {
        object: s.d.object,
        match: { by: 'id', column: 'crm_id' },
        matchField: null,
        operation: 'update',
        fields: new Map((await s.d.destination.fields(s.d.object)).map((f) => [f.name, f])),
      };
      const outcomes = await s.d.destination.write(
        target,
        preset.map((id) => ({ key: id, matchValue: id, values: { [s.d.numberField]: 99 } })),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['written', 'written', 'written']);
      expect(Number(await s.d.valueOf(preset[0] ?? '', s.d.numberField))).toBe(99);
      await s.table(ids);
      const report = await s.run({
        name: 'conformance_fill',
        mode: 'fill-empty',
        fields: { score: s.d.numberField },
      });
      expect(report.counts).toMatchObject({ written: 117, skipped: 3, readCalls: 2 });
      checkValues(new Map(preset.map((id) => [id, 99])), await s.d.valuesOf(preset, s.d.numberField));
      await s.expectScores(ids.slice(3), (i) => score(i + 3));
    },
  },
  {
    name: 'killed mid-push and run again: confirmed records are not resent, none is lost',
    async run(s) {
      const ids = await s.d.existingIds(300);
      await s.table(ids);
      const controller = new AbortController();
      const killing = killedAfterWrites(s.d.destination, 2, controller);
      const first = await s.run({ concurrency: 1 }, { destination: killing, signal: controller.signal });
      expect(first.status).toBe('failed');
      const [row] = await rowsOf(
        s.warehouse,
        'SELECT count(*) AS n FROM tide.pushed WHERE value_hash IS NOT NULL',
      );
      const confirmed = Number(row?.n);
      expect(confirmed, 'records confirmed by the two calls before the kill').toBe(200);
      const second = await s.writes(() => s.run());
      expect(second.result.error).toBeNull();
      expect(second.result.plan?.unchanged).toBe(confirmed);
      checkWriteCalls(second.calls, ids.length - confirmed, s.d.batchWrites);
      await s.expectScores(ids);
    },
  },
];

/**
 * What every CRM destination must do, driven through the real reverse engine (reverse/run-sync.ts)
 * from a DuckDB warehouse against the CRM's simulator: test/conformance/connectors.test.ts runs this
 * for each harness.
 */
export function describeDestinationConformance(kind: string, start: () => Promise<ConnectorHarness>): void {
  describe(`destination conformance: ${kind}`, () => {
    let connector: ConnectorHarness;
    let warehouse: Warehouse;
    beforeAll(async () => {
      connector = await start();
    });
    afterAll(async () => {
      await connector?.close();
    });
    beforeEach(async () => {
      warehouse = await memoryWarehouse();
      return () => warehouse.close();
    });

    if (connectorFor(kind).capabilities === null) {
      it('has no reverse ETL, and its harness has no destination', () => {
        expect(connector.destination).toBeNull();
      });
      return;
    }
    const suite = (): DestinationSuite => {
      if (connector.destination === null)
        throw new Error(`${kind} has reverse ETL but its harness no destination`);
      return new DestinationSuite(kind, connector.destination, warehouse);
    };
    for (const c of DESTINATION_CASES) it(c.name, () => c.run(suite()));
  });
}
