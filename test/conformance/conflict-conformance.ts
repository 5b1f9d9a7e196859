import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runExtract } from '../../extract/run-extract.js';
import { rawTableName, type Warehouse } from '../../load/warehouse.js';
import { MemoryLogger } from '../../log/console-logger.js';
import type { ConflictRule } from '../../reverse/conflict-rules.js';
import type { RawTable } from '../../reverse/raw-current.js';
import type { SyncReport } from '../../reverse/run-sync.js';
import type { SyncInput } from '../../reverse/sync-config.js';
import { runTestSync } from '../reverse/sync-harness.js';
import { createTable, memoryWarehouse, rowsOf } from '../reverse/warehouse-fixture.js';
import type { ConnectorHarness, DestinationHarness } from './connector-harness.js';

interface ConflictRowOut {
  readonly record_key: string;
  readonly field: string;
  readonly crm_value: string;
  readonly pushed_value: string;
  readonly new_value: string;
  readonly rule: string;
  readonly outcome: string;
}

/**
 * Field ownership (issue 20) through one CRM's simulator, over its ConnectorHarness (a person's edit is
 * the destination harness's `edit`, through `/_sim/`): Tide pushes, a person edits the field in the
 * CRM, the score changes, and each rule leaves exactly the expected CRM values, push-log lines and
 * `tide.push_conflicts` rows; three runs on unchanged data write nothing and find no conflict.
 */
export function describeConflictConformance(kind: string, start: () => Promise<ConnectorHarness>): void {
  describe(`conflict rules: ${kind}`, () => {
    let harness: ConnectorHarness;
    let h: DestinationHarness;
    let warehouse: Warehouse;
    beforeAll(async () => {
      harness = await start();
      if (harness.destination === null)
        throw new Error(`${kind} has no destination to resolve conflicts for`);
      h = harness.destination;
    });
    afterAll(() => harness?.close());
    beforeEach(async () => {
      warehouse = await memoryWarehouse();
    });
    afterEach(() => warehouse.close());

    /** The CRM's value as a number (CRMs answer numbers as text, or as numbers). */
    const crmNumber = async (id: string): Promise<number> => Number(await h.valueOf(id, h.numberField));
    const table = (sync: string): string => `analytics.${sync}`;
    const setScores = (sync: string, scores: Readonly<Record<string, number>>): Promise<void> =>
      createTable(
        warehouse,
        table(sync),
        Object.entries(scores).map(([id, score]) => ({ id, score })),
        { id: 'VARCHAR', score: 'DOUBLE' },
      );
    const syncOf = (sync: string, conflicts?: ConflictRule): SyncInput => ({
      name: sync,
      from: table(sync),
      to: { crm: harness.kind, object: h.object },
      match: { by: 'id', column: 'id' },
      fields: { score: h.numberField },
      ...(conflicts === undefined ? {} : { conflicts }),
    });
    const run = async (sync: SyncInput, dryRun = false): Promise<SyncReport> => {
      const report = await runTestSync({ warehouse, destination: h.destination, sync, dryRun });
      expect(report.error, JSON.stringify(report.error)).toBeNull();
      expect(report.problems).toEqual([]);
      return report;
    };
    const conflictRows = async (sync: string): Promise<ConflictRowOut[]> =>
      (
        await rowsOf(
          warehouse,
          `select record_key, field, crm_value, pushed_value, new_value, rule, outcome
           from tide.push_conflicts where sync = '${sync}' order by logged_at, record_key`,
        )
      ).map((r) => ({
        record_key: String(r.record_key),
        field: String(r.field),
        crm_value: String(r.crm_value),
        pushed_value: String(r.pushed_value),
        new_value: String(r.new_value),
        rule: String(r.rule),
        outcome: String(r.outcome),
      }));
    /** The answer lines (not intents) of the newest run: record → status. */
    const lastRunLog = async (sync: string): Promise<Record<string, string>> => {
      const rows = await rowsOf(
        warehouse,
        `select record_key, status from tide.push_log
         where sync = '${sync}' and status <> 'sending'
           and run_id = (select max(run_id) from tide.push_log where sync = '${sync}')`,
      );
      return Object.fromEntries(rows.map((r) => [String(r.record_key), String(r.status)]));
    };
    const total = (r: SyncReport): number => {
      const s = r.conflicts?.stats;
      return s === undefined ? -1 : s.report + s.keepCrm + s.overwrite;
    };
    const written = async (since: number): Promise<number> => (await h.writeCalls()) - since;

    it('three runs on unchanged data: the second and third write nothing and find no conflict', async () => {
      const [a, b] = await h.existingIds(2);
      await setScores('noloop', { [a!]: 31, [b!]: 32 });
      const first = await run(syncOf('noloop'));
      expect(first.counts).toMatchObject({ written: 2, rejected: 0 });
      for (const round of [2, 3]) {
        const calls = await h.writeCalls();
        const again = await run(syncOf('noloop'));
        expect(await written(calls), `run ${round}`).toBe(0);
        expect(again.counts).toMatchObject({ written: 0, held: 0 });
        expect(total(again), `run ${round}`).toBe(0);
      }
      expect(await conflictRows('noloop')).toEqual([]);
      expect([await crmNumber(a!), await crmNumber(b!)]).toEqual([31, 32]);
    });

    /** `tide run`'s extract of the sync's object, and the raw table it hands the reverse stage. */
    const extractObject = async (): Promise<RawTable> => {
      // A new Source, as the next run builds it: fields added to the CRM since are among its columns.
      const source = harness.source.fresh();
      const stream = source.streams().find((s) => s.name.toLowerCase() === h.object.toLowerCase());
      if (stream === undefined) throw new Error(`${kind} has no stream ${h.object}`);
      const summary = await runExtract({
        runId: `extract-${Date.now()}`,
        warehouse,
        plan: [{ source, stream, startDate: null, fullRefresh: false }],
        concurrency: 1,
        checkpointEvery: 10_000,
        log: new MemoryLogger(),
        progress: { page: () => {} },
      });
      expect(summary.outcomes.map((o) => o.status)).toEqual(['ok']);
      return {
        relation: `raw.${rawTableName(source.name, stream.name)}`,
        columns: await stream.columns(),
      };
    };

    it('finds the edit in the raw table an extract just loaded (no CRM read); its own write is no conflict', async () => {
      const [a, b] = await h.existingIds(2);
      await setScores('raw', { [a!]: 40, [b!]: 50 });
      await run(syncOf('raw'));
      await h.edit(a!, h.numberField, 77);
      const rawTable = await extractObject();
      await setScores('raw', { [a!]: 41, [b!]: 51 });
      const report = await runTestSync({
        warehouse,
        destination: h.destination,
        sync: syncOf('raw'),
        rawTable,
      });
      expect(report.error).toBeNull();
      expect(report.conflicts?.rawTable).toBe(rawTable.relation);
      // b reads back (from the raw table) as Tide wrote it, in the source's own form: sent.
      expect(report.conflicts?.stats).toMatchObject({ fromRaw: 2, readBack: 0, readCalls: 0, report: 1 });
      expect(report.conflicts?.samples.map((c) => [c.key, c.seenIn])).toEqual([[a, 'raw']]);
      expect(report.counts).toMatchObject({ written: 1, held: 1, readCalls: 0 });
      expect([await crmNumber(a!), await crmNumber(b!)]).toEqual([77, 51]);
    });

    const outcomes: Record<ConflictRule, string> = {
      report: 'reported',
      'keep-crm': 'kept',
      overwrite: 'overwritten',
    };

    for (const rule of ['report', 'keep-crm', 'overwrite'] as const) {
      it(`${rule}: a person's edit after a push, then a changed score`, async () => {
        const sync = `rule_${rule.replace('-', '_')}`;
        const [a, b] = await h.existingIds(2);
        // The default is report; the other two are chosen in the config.
        const config = syncOf(sync, rule === 'report' ? undefined : rule);
        await setScores(sync, { [a!]: 40, [b!]: 50 });
        expect((await run(config)).counts).toMatchObject({ written: 2 });

        await h.edit(a!, h.numberField, 77);
        await setScores(sync, { [a!]: 41, [b!]: 51 });
        const dry = await run(config, true);
        const calls = await h.writeCalls();
        const real = await run(config);

        // The dry run planned the same conflict the real run found.
        const brief = (r: SyncReport) => r.conflicts?.samples.map((c) => [c.key, c.field, c.rule]);
        expect(brief(dry)).toEqual([[a, h.numberField, rule]]);
        expect(brief(real)).toEqual(brief(dry));

        expect(await crmNumber(a!)).toBe(rule === 'overwrite' ? 41 : 77);
        expect(await crmNumber(b!)).toBe(51);
        const sent = rule === 'overwrite' ? 2 : 1;
        expect(real.counts).toMatchObject({ written: sent, held: 2 - sent, overwritten: sent - 1 });
        expect(await written(calls)).toBe(h.batchWrites ? 1 : sent);
        expect(await lastRunLog(sync)).toEqual({
          [a!]: rule === 'overwrite' ? 'written' : 'skipped',
          [b!]: 'written',
        });
        const rows = await conflictRows(sync);
        // Values are JSON texts in the CRM's or the field's own form (77, "77", 77.0…).
        const num = (json: string): number => Number(JSON.parse(json));
        expect(
          rows.map((r) => ({
            ...r,
            crm_value: num(r.crm_value),
            pushed_value: num(r.pushed_value),
            new_value: num(r.new_value),
          })),
        ).toEqual([
          {
            record_key: a,
            field: h.numberField,
            crm_value: 77,
            pushed_value: 40,
            new_value: 41,
            rule,
            outcome: outcomes[rule],
          },
        ]);

        // Unchanged data next run: an overwritten edit is settled; a held one is listed again, unsent.
        const before = await h.writeCalls();
        const next = await run(config);
        expect(await written(before)).toBe(0);
        expect(total(next)).toBe(rule === 'overwrite' ? 0 : 1);
        expect(await conflictRows(sync)).toHaveLength(rule === 'overwrite' ? 1 : 2);
        if (rule === 'overwrite') return;

        // The person agrees with Tide's new value: no conflict, nothing to send, and it stays settled.
        await h.edit(a!, h.numberField, 41);
        for (const round of [1, 2]) {
          const at = await h.writeCalls();
          const settled = await run(config);
          expect(total(settled), `settled run ${round}`).toBe(0);
          expect(await written(at)).toBe(0);
        }
        expect(await conflictRows(sync)).toHaveLength(2);
        expect(await crmNumber(a!)).toBe(41);
      });
    }
  });
}
