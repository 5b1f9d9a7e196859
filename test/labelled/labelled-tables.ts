import {
  company,
  emailVariant,
  IN_CRM,
  person,
  recordEmail,
  recordFirst,
  recordLast,
  recordPhone,
  rnd,
  salted,
} from './labelled-people.js';

/** One raw table of the generator: every field a SQL expression over the generator row. */
export interface TableSpec {
  readonly source: string;
  readonly stream: string;
  /** field → [SQL expression over the generator row, logical type]. */
  readonly fields: Readonly<Record<string, readonly [string, string]>>;
  /** FROM clause; person tables have columns `i` (the person) and `v` (which of their records). */
  readonly from: string;
  readonly id: string;
  readonly updated: string;
  readonly deleted?: string;
  /** Person tables: the person each row is (the truth identity resolution is measured against). */
  readonly person?: string;
}

export const ts = (i: string, salt: number | string): string =>
  `(TIMESTAMPTZ '2023-01-01 00:00:00+00' + to_seconds(${rnd(i, salt, 40_000_000)}))`;

/** Rows (i, v): v = 0 for the person's main record in a CRM, 1, 2 for the others the filters allow. */
function rows(people: number, variants: readonly string[]): string {
  const branches = variants.map(
    (where, v) => `SELECT i, ${v} AS v FROM range(${people}) AS g(i) WHERE ${where}`,
  );
  return `(${branches.join(' UNION ALL ')}) AS r`;
}

const lpad = (e: string, n: number) => `lpad(CAST(${e} AS VARCHAR), ${n}, '0')`;

/** HubSpot contacts, Salesforce contacts and leads, Pipedrive persons of `people` people. */
export function personTables(people: number): TableSpec[] {
  const p = person('i');
  const co = p.company;
  const hsId = `CAST(CASE v WHEN 0 THEN i WHEN 1 THEN 1000000000 + i ELSE 2000000000 + i END AS VARCHAR)`;
  // HubSpot's merged record (v = 2) carries the primary's values; the twin (v = 1) its own.
  const hs = salted(0, `CASE WHEN v = 1 THEN 500 ELSE 0 END`);
  const twinEmail = (base: number) => emailVariant(recordEmail('i', `${base} + 500`), 'i', `${base} + 501`);
  const sfId = `'003' || CASE WHEN v = 0 THEN ${lpad('i', 12)} ELSE 'M' || ${lpad('i', 11)} END`;
  const sf = salted(0, `CASE WHEN v = 1 THEN 500 ELSE 0 END`);
  const pd = salted(0, `CASE WHEN v = 1 THEN 500 ELSE 0 END`);
  const pdEmail = emailVariant(recordEmail('i', `43 + ${pd}`), 'i', `44 + ${pd}`);
  return [
    {
      source: 'hubspot',
      stream: 'contacts',
      from: rows(people, [
        IN_CRM.hubspot('i'),
        `${IN_CRM.hubspot('i')} AND ${IN_CRM.hubspotTwin('i')}`,
        `${IN_CRM.hubspot('i')} AND ${IN_CRM.hubspotTwin('i')} AND ${IN_CRM.hubspotMerged('i')}`,
      ]),
      id: hsId,
      person: 'i',
      updated: ts('i', `12 + ${hs} + v`),
      deleted: `v = 0 AND ${rnd('i', 13, 100)} = 0`,
      fields: {
        email: [emailVariant(recordEmail('i', `14 + ${hs}`), 'i', `15 + ${hs}`), 'string'],
        hs_additional_emails: [`CASE WHEN v = 2 THEN ${twinEmail(14)} END`, 'string'],
        firstname: [recordFirst('i', `16 + ${hs}`), 'string'],
        lastname: [recordLast('i', `17 + ${hs}`), 'string'],
        phone: [recordPhone('i', `20 + ${hs}`), 'string'],
        company: [co.names[0], 'string'],
        website: [
          `CASE WHEN ${co.hasDomain} AND ${rnd('i', 24, 3)} = 0 THEN 'https://www.' || ${co.domain} || '/about' END`,
          'string',
        ],
        jobtitle: [`(['CEO','CTO','Analyst','Founder'])[1 + ${rnd('i', 18, 4)}]`, 'string'],
        country: [`'US'`, 'string'],
        hs_merged_object_ids: [
          `CASE WHEN v = 2 THEN CAST(i AS VARCHAR) || ';' || CAST(1000000000 + i AS VARCHAR) END`,
          'string',
        ],
        createdate: [ts('i', 25), 'timestamp'],
        lastmodifieddate: [ts('i', `12 + ${hs} + v`), 'timestamp'],
      },
    },
    {
      source: 'salesforce',
      stream: 'Contact',
      from: rows(people, [
        IN_CRM.salesforceContact('i'),
        `${IN_CRM.salesforceContact('i')} AND ${IN_CRM.salesforceTwin('i')}`,
      ]),
      id: sfId,
      person: 'i',
      updated: ts('i', `22 + ${sf}`),
      deleted: `v = 1 OR ${rnd('i', 23, 100)} = 0`,
      fields: {
        FirstName: [recordFirst('i', `26 + ${sf}`), 'string'],
        LastName: [recordLast('i', `27 + ${sf}`), 'string'],
        Email: [emailVariant(recordEmail('i', `24 + ${sf}`), 'i', `28 + ${sf}`), 'string'],
        Phone: [recordPhone('i', `30 + ${sf}`), 'string'],
        Title: [`'Engineer'`, 'string'],
        AccountId: [`'001' || ${lpad(p.c, 12)}`, 'string'],
        MailingCountry: [`'US'`, 'string'],
        MasterRecordId: [`CASE WHEN v = 1 THEN '003' || ${lpad('i', 12)} END`, 'string'],
        CreatedDate: [ts('i', 36), 'timestamp'],
        SystemModstamp: [ts('i', `22 + ${sf}`), 'timestamp'],
      },
    },
    {
      source: 'salesforce',
      stream: 'Lead',
      from: rows(people, [IN_CRM.salesforceLead('i')]),
      id: `'00Q' || ${lpad('i', 12)}`,
      person: 'i',
      updated: ts('i', 32),
      fields: {
        FirstName: [recordFirst('i', 37), 'string'],
        LastName: [recordLast('i', 38), 'string'],
        Email: [emailVariant(recordEmail('i', 33), 'i', 34), 'string'],
        Phone: [recordPhone('i', 39), 'string'],
        Company: [co.names[2], 'string'],
        Website: [`CASE WHEN ${co.hasDomain} AND ${rnd('i', 40, 2)} = 0 THEN ${co.domain} END`, 'string'],
        IsConverted: [`${rnd('i', 35, 20)} = 0`, 'boolean'],
        ConvertedContactId: [
          `CASE WHEN ${rnd('i', 35, 20)} = 0 THEN '003' || ${lpad('i', 12)} END`,
          'string',
        ],
        CreatedDate: [ts('i', 36), 'timestamp'],
        SystemModstamp: [ts('i', 32), 'timestamp'],
      },
    },
    {
      source: 'pipedrive',
      stream: 'persons',
      from: rows(people, [
        IN_CRM.pipedrive('i'),
        `${IN_CRM.pipedrive('i')} AND ${IN_CRM.pipedriveTwin('i')}`,
      ]),
      id: `CAST(CASE WHEN v = 0 THEN i ELSE 500000000 + i END AS VARCHAR)`,
      person: 'i',
      updated: ts('i', `42 + ${pd}`),
      deleted: 'v = 1',
      fields: {
        name: [
          `concat_ws(' ', ${recordFirst('i', `45 + ${pd}`)}, ${recordLast('i', `46 + ${pd}`)})`,
          'string',
        ],
        first_name: [recordFirst('i', `45 + ${pd}`), 'string'],
        last_name: [recordLast('i', `46 + ${pd}`), 'string'],
        primary_email: [pdEmail, 'string'],
        // A merge keeps the merged-away person's email on the survivor's list.
        emails: [
          `to_json(CASE WHEN v = 0 AND ${IN_CRM.pipedriveTwin('i')} THEN [{'value': ${pdEmail}, 'primary': true}, {'value': ${twinEmail(43)}, 'primary': false}] ELSE [{'value': ${pdEmail}, 'primary': true}] END)`,
          'json',
        ],
        primary_phone: [recordPhone('i', `47 + ${pd}`), 'string'],
        org_id: [`CAST(${p.c} AS VARCHAR)`, 'string'],
        add_time: [ts('i', 48), 'timestamp'],
        update_time: [ts('i', `42 + ${pd}`), 'timestamp'],
      },
    },
  ];
}

/** HubSpot companies, Salesforce accounts and Pipedrive organizations (without websites). */
export function companyTables(companies: number): TableSpec[] {
  const c = company('i');
  const switchboard = `'+' || ${c.switchboard}`;
  return [
    {
      source: 'hubspot',
      stream: 'companies',
      from: `range(${companies}) AS g(i)`,
      id: `CAST(i AS VARCHAR)`,
      updated: ts('i', 51),
      fields: {
        name: [c.names[0], 'string'],
        domain: [`CASE WHEN ${c.hasDomain} THEN ${c.domain} END`, 'string'],
        phone: [switchboard, 'string'],
        industry: [`(['COMPUTER_SOFTWARE','FINANCIAL_SERVICES','RETAIL'])[1 + ${rnd('i', 52, 3)}]`, 'string'],
        numberofemployees: [`CAST(${rnd('i', 53, 5000)} AS DOUBLE)`, 'number'],
        hs_lastmodifieddate: [ts('i', 51), 'timestamp'],
      },
    },
    {
      source: 'salesforce',
      stream: 'Account',
      from: `range(${companies}) AS g(i)`,
      id: `'001' || ${lpad('i', 12)}`,
      updated: ts('i', 61),
      fields: {
        Name: [c.names[1], 'string'],
        Website: [`CASE WHEN ${c.hasDomain} THEN 'https://www.' || ${c.domain} END`, 'string'],
        Phone: [
          `'(' || substr(${c.switchboard}, 2, 3) || ') ' || substr(${c.switchboard}, 5, 3) || '-' || substr(${c.switchboard}, 8)`,
          'string',
        ],
        Industry: [`(['Technology','Finance','Retail'])[1 + ${rnd('i', 62, 3)}]`, 'string'],
        NumberOfEmployees: [`CAST(${rnd('i', 63, 5000)} AS DOUBLE)`, 'number'],
        BillingCountry: [`'US'`, 'string'],
        SystemModstamp: [ts('i', 61), 'timestamp'],
      },
    },
    {
      source: 'pipedrive',
      stream: 'organizations',
      from: `range(${companies}) AS g(i)`,
      id: `CAST(i AS VARCHAR)`,
      updated: ts('i', 71),
      fields: { name: [c.names[2], 'string'], update_time: [ts('i', 71), 'timestamp'] },
    },
  ];
}
