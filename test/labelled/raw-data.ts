import type { Warehouse } from '../../load/warehouse.js';
import type { SourceDeclarations } from '../../transform/project/source-declarations.js';
import { PEOPLE_PER_COMPANY, rnd } from './labelled-people.js';
import { companyTables, personTables, type TableSpec, ts } from './labelled-tables.js';

/**
 * Raw tables for the models benchmark and the identity-resolution measurement, generated inside
 * DuckDB with range(): the same table layout the loader writes (`_tide_*` columns, one typed column
 * per CRM field, `_tide_record` JSON, and the field → column map in `tide.columns`). People and
 * companies are the labelled population of test/labelled/labelled-people.ts (one population, each CRM holding
 * a share of it, every kind of duplicate, near-miss and merge planted); `labels.truth` says which
 * person each contact, lead and person record is.
 */
export interface RawDataShape {
  /** People in the population; CRM records are drawn from it. */
  readonly people: number;
}

/**
 * Contact-like records per person: HubSpot 0.75 (+3% twins, 40% of them merged into a third record),
 * Salesforce contacts 0.42 (+2% merged-away twins) and leads 0.17, Pipedrive 0.33 (+2% twins).
 */
export const RECORDS_PER_PERSON = 0.75 * (1 + 0.03 * 1.4) + 0.42 * 1.02 + 0.17 + 0.33 * 1.02;

const SQL_TYPE: Readonly<Record<string, string>> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMPTZ',
  date: 'DATE',
  json: 'JSON',
};

function tables(shape: RawDataShape): TableSpec[] {
  const companies = Math.ceil(shape.people / PEOPLE_PER_COMPANY);
  return [
    ...personTables(shape.people),
    ...companyTables(companies),
    {
      source: 'hubspot',
      stream: 'deals',
      from: `range(${Math.ceil(shape.people / 6)}) AS g(i)`,
      id: `CAST(i AS VARCHAR)`,
      updated: ts('i', 81),
      fields: {
        dealname: [`'Deal ' || i`, 'string'],
        amount: [`CAST(1000 * (1 + ${rnd('i', 82, 200)}) AS DOUBLE)`, 'number'],
        dealstage: [`(['appointmentscheduled','closedwon','closedlost'])[1 + ${rnd('i', 83, 3)}]`, 'string'],
        associated_contact_ids: [`to_json([CAST(i * 4 AS VARCHAR)])`, 'json'],
        associated_company_ids: [`to_json([CAST((i * 4) // 8 AS VARCHAR)])`, 'json'],
        hs_lastmodifieddate: [ts('i', 81), 'timestamp'],
      },
    },
    {
      source: 'salesforce',
      stream: 'Opportunity',
      from: `range(${Math.ceil(shape.people / 6)}) AS g(i)`,
      id: `'006' || lpad(CAST(i AS VARCHAR), 12, '0')`,
      updated: ts('i', 91),
      fields: {
        Name: [`'Opportunity ' || i`, 'string'],
        Amount: [`CAST(1000 * (1 + ${rnd('i', 92, 200)}) AS DOUBLE)`, 'number'],
        StageName: [`(['Prospecting','Closed Won','Closed Lost'])[1 + ${rnd('i', 93, 3)}]`, 'string'],
        IsWon: [`${rnd('i', 93, 3)} = 1`, 'boolean'],
        IsClosed: [`${rnd('i', 93, 3)} > 0`, 'boolean'],
        AccountId: [`'001' || lpad(CAST((i * 5) // 8 AS VARCHAR), 12, '0')`, 'string'],
        ContactId: [`'003' || lpad(CAST(i * 5 AS VARCHAR), 12, '0')`, 'string'],
        SystemModstamp: [ts('i', 91), 'timestamp'],
      },
    },
    {
      source: 'pipedrive',
      stream: 'deals',
      from: `range(${Math.ceil(shape.people / 6)}) AS g(i)`,
      id: `CAST(i AS VARCHAR)`,
      updated: ts('i', 101),
      fields: {
        title: [`'Deal ' || i`, 'string'],
        value: [`CAST(1000 * (1 + ${rnd('i', 102, 200)}) AS DOUBLE)`, 'number'],
        status: [`(['open','won','lost'])[1 + ${rnd('i', 103, 3)}]`, 'string'],
        person_id: [`CAST(i * 3 AS VARCHAR)`, 'string'],
        org_id: [`CAST((i * 3) // 8 AS VARCHAR)`, 'string'],
        update_time: [ts('i', 101), 'timestamp'],
      },
    },
    {
      source: 'hubspot',
      stream: 'calls',
      from: `range(${Math.floor(shape.people / 2)}) AS g(i)`,
      id: `CAST(i AS VARCHAR)`,
      updated: ts('i', 111),
      fields: {
        hs_timestamp: [ts('i', 112), 'timestamp'],
        associated_contact_ids: [`to_json([CAST(${rnd('i', 113, shape.people)} AS VARCHAR)])`, 'json'],
        hs_lastmodifieddate: [ts('i', 111), 'timestamp'],
      },
    },
    {
      source: 'salesforce',
      stream: 'Task',
      from: `range(${Math.floor(shape.people / 2)}) AS g(i)`,
      id: `'00T' || lpad(CAST(i AS VARCHAR), 12, '0')`,
      updated: ts('i', 121),
      fields: {
        WhoId: [`'003' || lpad(CAST(${rnd('i', 122, shape.people)} AS VARCHAR), 12, '0')`, 'string'],
        ActivityDate: [`CAST(${ts('i', 123)} AS DATE)`, 'date'],
        SystemModstamp: [ts('i', 121), 'timestamp'],
      },
    },
    {
      source: 'pipedrive',
      stream: 'activities',
      from: `range(${Math.floor(shape.people / 2)}) AS g(i)`,
      id: `CAST(i AS VARCHAR)`,
      updated: ts('i', 131),
      fields: {
        type: [`'call'`, 'string'],
        person_id: [`CAST(${rnd('i', 132, shape.people)} AS VARCHAR)`, 'string'],
        marked_as_done_time: [ts('i', 133), 'timestamp'],
        update_time: [ts('i', 131), 'timestamp'],
      },
    },
  ];
}

const normalize = (field: string): string => field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * Creates every raw table (and its tide.columns rows) and labels.truth; returns the number of
 * contact-like records.
 * Declared fields the generator does not fill get a NULL column, as the loader makes a column for
 * every property a CRM describes, filled or not.
 */
export async function generateRawData(
  warehouse: Warehouse,
  shape: RawDataShape,
  declarations: SourceDeclarations,
): Promise<number> {
  let contacts = 0;
  await warehouse.execute('CREATE SCHEMA IF NOT EXISTS labels');
  await warehouse.execute('CREATE OR REPLACE TABLE labels.truth (record_key VARCHAR, person BIGINT)');
  for (const t of tables(shape)) {
    const table = `raw.${t.source}__${normalize(t.stream)}`;
    const filled = Object.entries(t.fields).map(([field, [expr, type]]) => ({
      field,
      expr,
      type,
      column: normalize(field),
    }));
    const empty = (declarations.get(t.source)?.get(t.stream) ?? [])
      .filter((c) => !(c.field in t.fields))
      .map((c) => ({
        field: c.field,
        expr: `CAST(NULL AS ${SQL_TYPE[c.type] ?? 'VARCHAR'})`,
        type: c.type as string,
        column: c.name,
      }));
    const columns = [...filled, ...empty];
    const json = `json_object(${columns.map((c) => `'${c.field}', ${c.expr}`).join(', ')})`;
    await warehouse.execute(`CREATE OR REPLACE TABLE ${table} AS
      SELECT id AS _tide_id, updated AS _tide_updated_at, deleted AS _tide_deleted, rec AS _tide_record,
             TIMESTAMPTZ '2024-06-01 00:00:00+00' AS _tide_loaded_at, 'bench-load' AS _tide_load_id,
             ${columns.map((c) => `CAST(rec ->> '${c.field}' AS ${SQL_TYPE[c.type]}) AS "${c.column}"`).join(', ')}
      FROM (SELECT ${t.id} AS id, ${t.updated} AS updated, ${t.deleted ?? 'false'} AS deleted, ${json} AS rec FROM ${t.from})`);
    if (t.person !== undefined) {
      await warehouse.execute(
        `INSERT INTO labels.truth SELECT '${t.source}:${t.stream}:' || ${t.id}, ${t.person} FROM ${t.from}`,
      );
    }
    for (const c of columns) {
      await warehouse.execute(
        `INSERT INTO tide.columns VALUES ('${t.source}__${normalize(t.stream)}', '${c.field}', '${c.column}', '${c.type}', 'bench-load')`,
      );
    }
    if (['contacts', 'Contact', 'Lead', 'persons'].includes(t.stream)) {
      for await (const row of warehouse.query(`SELECT COUNT(*) AS n FROM ${table}`))
        contacts += Number(row['n']);
    }
  }
  return contacts;
}
