import { parse } from 'sql-parser-cst';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CrmField } from '../../core/destination.js';
import { BigqueryDialect } from '../../load/bigquery/bigquery-dialect.js';
import { RAW_SYSTEM_COLUMNS_DDL } from '../../load/duckdb/duckdb-raw-table.js';
import type { Warehouse } from '../../load/warehouse.js';
import { conflictRule, describeConflictRules } from '../../reverse/conflict-rules.js';
import { PushSql } from '../../reverse/push-sql.js';
import type { RawTable } from '../../reverse/raw-current.js';
import { sameCrmValue } from '../../reverse/same-crm-value.js';
import { SyncSchema } from '../../reverse/sync-config.js';
import { MEMORY_FIELDS, MemoryCrm } from './memory-crm.js';
import { runTestSync } from './sync-harness.js';
import { createTable, memoryWarehouse, rowsOf } from './warehouse-fixture.js';

const field = (type: CrmField['type'], extra: Partial<CrmField> = {}): CrmField => ({
  name: 'f',
  label: 'F',
  type,
  vendorType: type,
  readOnlyReason: null,
  unique: false,
  ...extra,
});

describe('sameCrmValue: what a CRM stores of what Tide sent is no edit', () => {
  it.each([
    ['number', 41, '41', {}],
    ['number', 41.5, '41.50', {}],
    ['number', 1234.5, '1,234.50', {}],
    ['number', 0.1 + 0.2, 0.3, {}],
    ['number', 41.256, 41.26, { scale: 2 }],
    ['boolean', true, 'true', {}],
    ['date', '2026-03-01', 1772323200000, {}],
    ['datetime', '2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00+0100', {}],
    ['datetime', '2026-03-01T10:00:00.250Z', '2026-03-01 10:00:00', {}],
    ['string', 'Acme', '  Acme ', {}],
    ['email', 'Ann@Example.com', 'ann@example.com', {}],
    ['phone', '+1 555 0100', '+15550100', {}],
    ['enumeration', 'gold', 'Gold', { options: [{ value: 'gold', label: 'Gold' }] }],
    ['multi-enumeration', 'a;b', ['b', 'a'], {}],
    ['string', null, '', {}],
  ] as const)('%s: sent %j, CRM holds %j', (type, sent, stored, extra) => {
    expect(sameCrmValue(field(type, extra), stored, sent)).toBe(true);
  });

  it.each([
    ['number', 41, '42', {}],
    ['number', 41.25, 41.26, { scale: 2 }],
    ['boolean', true, 'false', {}],
    ['datetime', '2026-03-01T10:00:00Z', '2026-03-01T10:00:00+0100', {}],
    ['string', 'Acme', 'Acme Inc', {}],
    ['enumeration', 'gold', 'Silver', { options: [{ value: 'gold', label: 'Gold' }] }],
    ['string', 'x', null, {}],
  ] as const)('%s: sent %j, a person typed %j', (type, sent, stored, extra) => {
    expect(sameCrmValue(field(type, extra), stored, sent)).toBe(false);
  });
});

describe('conflict rules in the sync config', () => {
  const base = {
    name: 'scores',
    from: 'analytics.scores',
    to: { crm: 'hubspot', object: 'contacts' },
    match: { by: 'id', column: 'id' },
    fields: { score: 'tide_score', tier: 'tier' },
  };

  it('defaults to report, takes one rule or a default with per-field rules', () => {
    const none = SyncSchema.parse(base);
    expect(conflictRule(none, 'tide_score')).toBe('report');
    expect(describeConflictRules(none)).toBe('report');
    const one = SyncSchema.parse({ ...base, conflicts: 'keep-crm' });
    expect(conflictRule(one, 'tier')).toBe('keep-crm');
    const mixed = SyncSchema.parse({ ...base, conflicts: { fields: { TIDE_SCORE: 'overwrite' } } });
    expect(conflictRule(mixed, 'tide_score')).toBe('overwrite');
    expect(conflictRule(mixed, 'tier')).toBe('report');
    expect(describeConflictRules(mixed)).toBe('report (TIDE_SCORE: overwrite)');
  });

  it('refuses an unknown rule, a rule for an unmapped field, and rules with fill-empty', () => {
    const problems = (input: unknown): string[] => {
      const r = SyncSchema.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(problems({ ...base, conflicts: 'crm-wins' }).join('\n')).toMatch(/^conflicts: /);
    expect(problems({ ...base, conflicts: { fields: { lifecyclestage: 'overwrite' } } })).toEqual([
      'conflicts.fields.lifecyclestage: "lifecyclestage" is not a CRM field of this sync (mapped: tide_score, tier)',
    ]);
    expect(problems({ ...base, mode: 'fill-empty', conflicts: 'overwrite' })[0]).toMatch(
      /^conflicts: fill-empty writes only empty CRM fields/,
    );
  });
});

describe('conflicts found in the raw table this run loaded (no CRM read)', () => {
  let warehouse: Warehouse;
  let crm: MemoryCrm;
  beforeEach(async () => {
    warehouse = await memoryWarehouse();
    crm = new MemoryCrm();
    crm.seed(3, (i) => ({ score: 0, tier: i === 1 ? 'gold' : 'silver' }));
  });
  afterEach(() => warehouse.close());

  const sync = {
    name: 'scores',
    from: 'analytics.scores',
    to: { crm: 'memcrm', object: 'contacts' },
    match: { by: 'id' as const, column: 'id' },
    fields: { score: 'score', tier: 'tier' },
  };
  const scores = (s: readonly number[]): Promise<void> =>
    createTable(
      warehouse,
      'analytics.scores',
      s.map((score, i) => ({ id: String(i + 1), score, tier: i === 0 ? 'gold' : 'silver' })),
      { id: 'VARCHAR', score: 'DOUBLE', tier: 'VARCHAR' },
    );
  /** raw.memcrm_contacts as an extract leaves it: the CRM's records as the source emitted them. */
  const extract = async (loadedAt: string): Promise<RawTable> => {
    await warehouse.execute(
      `CREATE SCHEMA IF NOT EXISTS raw; CREATE OR REPLACE TABLE raw.memcrm_contacts (${RAW_SYSTEM_COLUMNS_DDL})`,
    );
    for (const [id, r] of crm.records) {
      // The source emits numbers as text and options by label, as HubSpot's and Pipedrive's do.
      const record = { id, score: String(r.score), tier: r.tier === 'gold' ? 'Gold' : 'Silver' };
      for await (const _ of warehouse.query(
        `INSERT INTO raw.memcrm_contacts VALUES (?, ?::TIMESTAMPTZ, false, ?::JSON, ?::TIMESTAMPTZ, 'load-1')`,
        [id, loadedAt, JSON.stringify(record), loadedAt],
      )) {
        // drain
      }
    }
    const columns = MEMORY_FIELDS.map((f) => ({ name: f.name, type: 'string' as const }));
    return { relation: 'raw.memcrm_contacts', columns };
  };

  it('compares with a raw row loaded after the push; reads the CRM back for an older one', async () => {
    await scores([10, 20, 30]);
    expect((await runTestSync({ warehouse, destination: crm, sync })).counts).toMatchObject({ written: 3 });
    crm.records.get('1')!.score = 77; // a person's edit
    await scores([11, 21, 30]);

    const fresh = await extract(new Date(Date.now() + 60_000).toISOString());
    const reads = crm.readCalls;
    const dry = await runTestSync({ warehouse, destination: crm, sync, rawTable: fresh, dryRun: true });
    expect(dry.conflicts?.stats).toMatchObject({ fromRaw: 2, readBack: 0, report: 1 });
    expect(crm.readCalls).toBe(reads);
    expect(dry.conflicts?.rawTable).toBe('raw.memcrm_contacts');

    const stale = await extract('2000-01-01T00:00:00Z');
    const real = await runTestSync({ warehouse, destination: crm, sync, rawTable: stale });
    expect(real.conflicts?.stats).toMatchObject({ fromRaw: 0, readBack: 2, readCalls: 1, report: 1 });
    expect(crm.readCalls).toBe(reads + 1);
    expect(crm.records.get('1')).toMatchObject({ score: 77 });
    expect(crm.records.get('2')).toMatchObject({ score: 21 });
    expect(await rowsOf(warehouse, 'select record_key, crm_value, seen_in from tide.push_conflicts')).toEqual(
      [{ record_key: '1', crm_value: '77', seen_in: 'read' }],
    );
  });

  it("Tide's own write, as the source emits it (text, labels), is no conflict", async () => {
    await scores([10, 20, 30]);
    await runTestSync({ warehouse, destination: crm, sync });
    await scores([11, 21, 31]);
    const raw = await extract(new Date(Date.now() + 60_000).toISOString());
    const report = await runTestSync({ warehouse, destination: crm, sync, rawTable: raw });
    expect(report.conflicts?.stats).toMatchObject({ fromRaw: 3, report: 0, keepCrm: 0, overwrite: 0 });
    expect(report.counts).toMatchObject({ written: 3, readCalls: 0 });
  });
});

describe('the raw-table join on BigQuery', () => {
  it('parses as GoogleSQL, keyed by the match field and leaving shared match values out', () => {
    const bq = new PushSql(new BigqueryDialect());
    const sync = SyncSchema.parse({
      name: 'scores',
      from: 'analytics.customer_scores',
      to: { crm: 'hubspot', object: 'contacts' },
      match: { by: 'email', column: 'email' },
      fields: { score: 'tide_score' },
    });
    const raw = { relation: '`raw`.`hubspot_contacts`', fields: ['tide_score'], matchField: 'email' };
    const plan = bq.planQuery(sync, true, raw);
    expect(plan).toContain(`NULLIF(LOWER(TRIM(JSON_VALUE(x._tide_record, '$."email"'))), '')`);
    expect(plan).toContain(`JSON_QUERY(x._tide_record, '$."tide_score"') AS __tide_crm_0`);
    expect(plan).toContain('QUALIFY COUNT(*) OVER (PARTITION BY');
    expect(parse(plan, { dialect: 'bigquery', paramTypes: ['?'] }).statements).toHaveLength(1);
    const [table] = bq.conflicts.createTables();
    expect(parse(table!, { dialect: 'bigquery' }).statements).toHaveLength(1);
    const insert = bq.conflicts.insert('s', 'r', '2026-01-01T00:00:00Z', []).sql;
    expect(parse(insert, { dialect: 'bigquery', paramTypes: ['?'] }).statements).toHaveLength(1);
  });
});
