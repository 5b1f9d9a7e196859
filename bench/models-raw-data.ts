import type { Warehouse } from '../load/warehouse.js';
import type { SourceDeclarations } from '../transform/project/source-declarations.js';

/**
 * Raw tables for the models benchmark, generated inside DuckDB with range(): the same table layout
 * the loader writes (`_tide_*` columns, one typed column per CRM field, `_tide_record` JSON, and the
 * field → column map in `tide.columns`), and the same kind of overlap the simulators produce: one
 * population of people, each CRM holding a share of it, emails in other cases, phones in other
 * formats, some values missing, some records deleted or merged.
 */
export interface RawDataShape {
  /** People in the population; CRM records are drawn from it. */
  readonly people: number;
}

/** Contact-like records per person: HubSpot 0.75, Salesforce contacts 0.42 + leads 0.17, Pipedrive 0.33. */
export const RECORDS_PER_PERSON = 0.75 + 0.42 + 0.17 + 0.33;

interface TableSpec {
  readonly source: string;
  readonly stream: string;
  /** field → [SQL expression over the generator row, logical type]. */
  readonly fields: Readonly<Record<string, readonly [string, string]>>;
  readonly from: string;
  readonly id: string;
  readonly updated: string;
  readonly deleted?: string;
}

const SQL_TYPE: Readonly<Record<string, string>> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMPTZ',
  date: 'DATE',
  json: 'JSON',
};

/** Deterministic pseudo-random integer in [0, n) from a row index and a salt. */
const rnd = (i: string, salt: number, n: number): string =>
  `CAST(hash(${i} * 7919 + ${salt}) % ${n} AS BIGINT)`;

function person(i: string): Record<string, string> {
  const company = `(${i} // 8)`;
  return {
    first: `(['Ada','Alan','Grace','Linus','Margaret','Ken','Barbara','Dennis','Frances','Edsger'])[1 + ${rnd(i, 1, 10)}]`,
    last: `(['Lovelace','Turing','Hopper','Torvalds','Hamilton','Thompson','Liskov','Ritchie','Allen','Dijkstra'])[1 + ${rnd(i, 2, 10)}]`,
    domain: `'company' || ${company} || '.example.com'`,
    email: `CASE WHEN ${rnd(i, 3, 10)} = 0 THEN 'person' || ${i} || '@gmail.com' ELSE 'person' || ${i} || '@company' || ${company} || '.example.com' END`,
    digits: `'1415' || lpad(CAST(${i} % 10000000 AS VARCHAR), 7, '0')`,
    company: `'Company ' || ${company}`,
  };
}

function emailVariant(email: string, i: string, salt: number): string {
  return `CASE ${rnd(i, salt, 4)} WHEN 0 THEN ${email} WHEN 1 THEN upper(${email}) WHEN 2 THEN ' ' || ${email} || ' ' ELSE ${email} END`;
}

function phoneVariant(digits: string, i: string, salt: number): string {
  const rest = `substr(${digits}, 2)`;
  return `CASE ${rnd(i, salt, 5)} WHEN 0 THEN '+' || ${digits} WHEN 1 THEN '(' || substr(${rest}, 1, 3) || ') ' || substr(${rest}, 4, 3) || '-' || substr(${rest}, 7) WHEN 2 THEN substr(${rest}, 1, 3) || '.' || substr(${rest}, 4, 3) || '.' || substr(${rest}, 7) WHEN 3 THEN '+1 ' || ${rest} ELSE NULL END`;
}

const ts = (i: string, salt: number): string =>
  `(TIMESTAMPTZ '2023-01-01 00:00:00+00' + to_seconds(${rnd(i, salt, 40_000_000)}))`;

function tables(shape: RawDataShape): TableSpec[] {
  const p = person('i');
  const companies = Math.ceil(shape.people / 8);
  const people = `range(${shape.people}) AS g(i)`;
  return [
    {
      source: 'hubspot',
      stream: 'contacts',
      from: `${people} WHERE ${rnd('i', 11, 100)} < 75`,
      id: `CAST(i AS VARCHAR)`,
      updated: ts('i', 12),
      deleted: `${rnd('i', 13, 100)} = 0`,
      fields: {
        email: [
          `CASE WHEN ${rnd('i', 14, 30)} = 0 THEN NULL ELSE ${emailVariant(p.email as string, 'i', 15)} END`,
          'string',
        ],
        firstname: [p.first as string, 'string'],
        lastname: [p.last as string, 'string'],
        phone: [phoneVariant(p.digits as string, 'i', 16), 'string'],
        company: [p.company as string, 'string'],
        website: [
          `CASE WHEN ${rnd('i', 17, 3)} = 0 THEN 'https://www.' || ${p.domain} || '/about' END`,
          'string',
        ],
        jobtitle: [`(['CEO','CTO','Analyst','Founder'])[1 + ${rnd('i', 18, 4)}]`, 'string'],
        country: [`'US'`, 'string'],
        hs_merged_object_ids: [
          `CASE WHEN ${rnd('i', 19, 200)} = 0 THEN CAST(i + 1 AS VARCHAR) END`,
          'string',
        ],
        createdate: [ts('i', 20), 'timestamp'],
        lastmodifieddate: [ts('i', 12), 'timestamp'],
      },
    },
    {
      source: 'salesforce',
      stream: 'Contact',
      from: `${people} WHERE ${rnd('i', 21, 100)} < 42`,
      id: `'003' || lpad(CAST(i AS VARCHAR), 12, '0')`,
      updated: ts('i', 22),
      deleted: `${rnd('i', 23, 100)} = 0`,
      fields: {
        FirstName: [p.first as string, 'string'],
        LastName: [p.last as string, 'string'],
        Email: [emailVariant(p.email as string, 'i', 24), 'string'],
        Phone: [phoneVariant(p.digits as string, 'i', 25), 'string'],
        Title: [`'Engineer'`, 'string'],
        AccountId: [`'001' || lpad(CAST(i // 8 AS VARCHAR), 12, '0')`, 'string'],
        MailingCountry: [`'US'`, 'string'],
        CreatedDate: [ts('i', 26), 'timestamp'],
        SystemModstamp: [ts('i', 22), 'timestamp'],
      },
    },
    {
      source: 'salesforce',
      stream: 'Lead',
      from: `${people} WHERE ${rnd('i', 31, 100)} < 17`,
      id: `'00Q' || lpad(CAST(i AS VARCHAR), 12, '0')`,
      updated: ts('i', 32),
      fields: {
        FirstName: [p.first as string, 'string'],
        LastName: [p.last as string, 'string'],
        Email: [emailVariant(p.email as string, 'i', 33), 'string'],
        Phone: [phoneVariant(p.digits as string, 'i', 34), 'string'],
        Company: [p.company as string, 'string'],
        IsConverted: [`${rnd('i', 35, 20)} = 0`, 'boolean'],
        ConvertedContactId: [
          `CASE WHEN ${rnd('i', 35, 20)} = 0 THEN '003' || lpad(CAST(i AS VARCHAR), 12, '0') END`,
          'string',
        ],
        CreatedDate: [ts('i', 36), 'timestamp'],
        SystemModstamp: [ts('i', 32), 'timestamp'],
      },
    },
    {
      source: 'pipedrive',
      stream: 'persons',
      from: `${people} WHERE ${rnd('i', 41, 100)} < 33`,
      id: `CAST(i AS VARCHAR)`,
      updated: ts('i', 42),
      fields: {
        name: [`${p.first} || ' ' || ${p.last}`, 'string'],
        first_name: [p.first as string, 'string'],
        last_name: [p.last as string, 'string'],
        primary_email: [emailVariant(p.email as string, 'i', 43), 'string'],
        primary_phone: [phoneVariant(p.digits as string, 'i', 44), 'string'],
        org_id: [`CAST(i // 8 AS VARCHAR)`, 'string'],
        add_time: [ts('i', 45), 'timestamp'],
        update_time: [ts('i', 42), 'timestamp'],
      },
    },
    {
      source: 'hubspot',
      stream: 'companies',
      from: `range(${companies}) AS g(i)`,
      id: `CAST(i AS VARCHAR)`,
      updated: ts('i', 51),
      fields: {
        name: [`'Company ' || i`, 'string'],
        domain: [`'company' || i || '.example.com'`, 'string'],
        industry: [`(['COMPUTER_SOFTWARE','FINANCIAL_SERVICES','RETAIL'])[1 + ${rnd('i', 52, 3)}]`, 'string'],
        numberofemployees: [`CAST(${rnd('i', 53, 5000)} AS DOUBLE)`, 'number'],
        hs_lastmodifieddate: [ts('i', 51), 'timestamp'],
      },
    },
    {
      source: 'salesforce',
      stream: 'Account',
      from: `range(${companies}) AS g(i)`,
      id: `'001' || lpad(CAST(i AS VARCHAR), 12, '0')`,
      updated: ts('i', 61),
      fields: {
        Name: [`'Company ' || i || ', Inc.'`, 'string'],
        Website: [`'https://www.company' || i || '.example.com'`, 'string'],
        Industry: [`(['Technology','Finance','Retail'])[1 + ${rnd('i', 62, 3)}]`, 'string'],
        NumberOfEmployees: [`CAST(${rnd('i', 63, 5000)} AS DOUBLE)`, 'number'],
        SystemModstamp: [ts('i', 61), 'timestamp'],
      },
    },
    {
      source: 'pipedrive',
      stream: 'organizations',
      from: `range(${companies}) AS g(i)`,
      id: `CAST(i AS VARCHAR)`,
      updated: ts('i', 71),
      fields: { name: [`'Company ' || i`, 'string'], update_time: [ts('i', 71), 'timestamp'] },
    },
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
      from: `range(${shape.people / 2}) AS g(i)`,
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
      from: `range(${shape.people / 2}) AS g(i)`,
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
      from: `range(${shape.people / 2}) AS g(i)`,
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
 * Creates every raw table (and its tide.columns rows); returns the number of contact-like records.
 * Declared fields the generator does not fill get a NULL column, as the loader makes a column for
 * every property a CRM describes, filled or not.
 */
export async function generateRawData(
  warehouse: Warehouse,
  shape: RawDataShape,
  declarations: SourceDeclarations,
): Promise<number> {
  let contacts = 0;
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
