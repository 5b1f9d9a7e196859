import { LAST_NAMES } from '../../simulators/kit/universe.js';

/**
 * The labelled population behind the models benchmark and the identity-resolution measurement: SQL
 * expressions (DuckDB, over a generator row `i` = the person, `v` = which of that person's records in
 * one CRM) for the person and company tables of HubSpot, Salesforce and Pipedrive, and the truth
 * (record key → person) they were generated from. Every kind of case issue #19 names is planted, at
 * rates fixed before any rule was measured on them:
 *
 * - companies: 70% with a domain, 30% known only by name; every CRM spells the name its own way
 *   ("Acme 12", "Acme 12, Inc.", "ACME 12 Incorporated"; Ltd/Limited, GmbH, LLC/L.L.C. likewise); a
 *   main number (switchboard) on the HubSpot company and the Salesforce account;
 * - people: 8 per company; 40 first × 40 last names (so namesakes at one company happen by chance),
 *   plus 4% of companies with a planted namesake of a colleague and 3% with a father and son (Sr./Jr.);
 * - emails: work (90% at domain companies), personal (40%, 75% where the company has no domain); a
 *   record carries the work one, the personal one, none, a role inbox (info@, sales@) or an invalid
 *   one, in another case or with spaces;
 * - phones: 60% of people have their own mobile, 15% the switchboard with their extension (ext. 101,
 *   x101, #101, ;ext=101), 10% only the switchboard, 15% none; a record drops it 12% of the time or
 *   gives the switchboard instead of the mobile 4%; written in five formats;
 * - names: 3% of records use a nickname (Bob, Bill, Liz, Kate, Mike, Chris, …), 1% have a typo in the
 *   last name (two letters swapped), 1% no first name;
 * - duplicates and merges: 3% of HubSpot people have a second HubSpot record, 40% of those pairs merged
 *   the way HubSpot merges now (a third record with a new id lists both in hs_merged_object_ids, the
 *   two old rows stay as last seen); 2% of Salesforce contacts have a merged-away twin (deleted,
 *   MasterRecordId); 2% of Pipedrive persons have a merged-away twin (deleted, no pointer; its email
 *   is on the survivor's email list); 5% of leads are converted into the person's contact.
 */

const FIRST = [
  ['Robert', 'Bob'],
  ['William', 'Bill'],
  ['Elizabeth', 'Liz'],
  ['Katherine', 'Kate'],
  ['Michael', 'Mike'],
  ['James', 'Jim'],
  ['Margaret', 'Maggie'],
  ['Richard', 'Rick'],
  ['Thomas', 'Tom'],
  ['Joseph', 'Joe'],
  ['Jennifer', 'Jen'],
  ['Daniel', 'Dan'],
  ['Steven', 'Steve'],
  ['Susan', 'Sue'],
  ['Edward', 'Ed'],
  ['Patricia', 'Pat'],
  ['Christopher', 'Chris'],
  ['Ada', ''],
  ['Alan', ''],
  ['Grace', ''],
  ['Linus', ''],
  ['Barbara', ''],
  ['Dennis', ''],
  ['Frances', ''],
  ['Edsger', ''],
  ['Radia', ''],
  ['Hedy', ''],
  ['Guido', ''],
  ['Anita', ''],
  ['Bjarne', ''],
  ['Lena', ''],
  ['Marco', ''],
  ['Yuki', ''],
  ['Priya', ''],
  ['Omar', ''],
  ['Chloé', ''],
  ['José', ''],
  ['Mateo', ''],
  ['Aisha', ''],
  ['Ingrid', ''],
] as const;
const LAST = LAST_NAMES;
const WORDS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Wonka',
  'Tyrell',
  'Cyberdyne',
  'Soylent',
];

const list = (values: readonly string[]): string =>
  `[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}]`;

/** Deterministic pseudo-random integer in [0, n) from an integer expression and a salt (a number or an expression). */
export const rnd = (e: string, salt: number | string, n: number): string =>
  `CAST(hash((${e}) * 7919 + (${salt})) % ${n} AS BIGINT)`;

/** A salt expression: the record's own salt plus an offset per variant (`v`) of the person's records. */
export const salted = (salt: number, offset: string): string => `(${salt} + ${offset})`;

/** 8 people per company. */
export const PEOPLE_PER_COMPANY = 8;

/** Company-level values of the company numbered by `c`. */
export function company(c: string) {
  const word = `(${list(WORDS)})[1 + ${c} % ${WORDS.length}]`;
  const base = `${word} || ' ' || ${c}`;
  const legal = rnd(c, 202, 4);
  const variant = (forms: readonly string[]) => `(${list(forms)})[1 + ${legal}]`;
  return {
    hasDomain: `(${rnd(c, 201, 10)} >= 3)`,
    domain: `lower(${word}) || ${c} || '.example.com'`,
    /** How each CRM writes the name: as is, with a legal form, shouting with the long form. */
    names: [
      base,
      `${base} || ${variant([', Inc.', ' Ltd', ' GmbH', ' LLC'])}`,
      `upper(${base}) || ${variant([' Incorporated', ' Limited', ' gmbh', ' L.L.C.'])}`,
    ] as const,
    switchboard: `'1650' || lpad(CAST(${c} % 10000000 AS VARCHAR), 7, '0')`,
  };
}

/** Which people each CRM holds: HubSpot 75%, Salesforce contacts 42% and leads 17%, Pipedrive 33%. */
export const IN_CRM = {
  hubspot: (i: string) => `${rnd(i, 11, 100)} < 75`,
  salesforceContact: (i: string) => `${rnd(i, 21, 100)} < 42`,
  salesforceLead: (i: string) => `${rnd(i, 31, 100)} < 17`,
  pipedrive: (i: string) => `${rnd(i, 41, 100)} < 33`,
  /** A second HubSpot record of the person; 40% of those pairs were merged into a third one. */
  hubspotTwin: (i: string) => `${rnd(i, 19, 100)} < 3`,
  hubspotMerged: (i: string) => `${rnd(i, 18, 10)} < 4`,
  /** A Salesforce contact / Pipedrive person merged away into the person's main record. */
  salesforceTwin: (i: string) => `${rnd(i, 29, 100)} < 2`,
  pipedriveTwin: (i: string) => `${rnd(i, 49, 100)} < 2`,
};

/** Person-level values of person `i`. */
export function person(i: string) {
  const c = `(${i} // ${PEOPLE_PER_COMPANY})`;
  const co = company(c);
  const namesake = `(${i} % 8 = 1 AND ${rnd(c, 301, 100)} < 4)`;
  const fatherAndSon = `${rnd(c, 302, 100)} < 3`;
  // Whose name the person has: a planted namesake or son takes their colleague's.
  const source = `(CASE WHEN ${namesake} OR (${i} % 8 = 3 AND ${fatherAndSon}) THEN ${i} - 1 ELSE ${i} END)`;
  const firstIndex = `1 + ${rnd(source, 1, FIRST.length)}`;
  return {
    company: co,
    c,
    first: `(${list(FIRST.map(([f]) => f))})[${firstIndex}]`,
    nickname: `(${list(FIRST.map(([, n]) => n))})[${firstIndex}]`,
    last: `(${list(LAST)})[1 + ${rnd(source, 2, LAST.length)}]`,
    suffix: `(CASE WHEN ${i} % 8 = 3 AND ${fatherAndSon} THEN ' Jr.' WHEN ${i} % 8 = 2 AND ${fatherAndSon} THEN ' Sr.' ELSE '' END)`,
    work: `(CASE WHEN ${co.hasDomain} AND ${rnd(i, 3, 10)} < 9 THEN 'p' || ${i} || '@' || ${co.domain} END)`,
    personal: `(CASE WHEN ${rnd(i, 4, 100)} < (CASE WHEN ${co.hasDomain} THEN 40 ELSE 75 END) THEN 'p' || ${i} || '.home@gmail.com' END)`,
    mobile: `'1415' || lpad(CAST(${i} % 10000000 AS VARCHAR), 7, '0')`,
    /** 0 own mobile, 1 switchboard + extension, 2 switchboard, 3 none. */
    phoneStyle: `(CASE WHEN ${rnd(i, 5, 100)} < 60 THEN 0 WHEN ${rnd(i, 5, 100)} < 75 THEN 1 WHEN ${rnd(i, 5, 100)} < 85 THEN 2 ELSE 3 END)`,
    extension: `CAST(101 + ${i} % 8 AS VARCHAR)`,
  };
}

/** The email one record of person `i` carries (salt = the record's own), before case and spaces. */
export function recordEmail(i: string, salt: number | string): string {
  const p = person(i);
  const r = rnd(i, salt, 100);
  return `(CASE
    WHEN ${p.work} IS NOT NULL AND ${p.personal} IS NOT NULL THEN CASE WHEN ${r} < 70 THEN ${p.work} WHEN ${r} < 90 THEN ${p.personal} WHEN ${r} < 95 THEN NULL ELSE 'info@' || ${p.company.domain} END
    WHEN ${p.work} IS NOT NULL THEN CASE WHEN ${r} < 88 THEN ${p.work} WHEN ${r} < 93 THEN NULL WHEN ${r} < 97 THEN 'info@' || ${p.company.domain} ELSE 'p' || ${i} || '@' END
    WHEN ${p.personal} IS NOT NULL THEN CASE WHEN ${r} < 85 THEN ${p.personal} END
    ELSE CASE WHEN ${p.company.hasDomain} AND ${r} < 30 THEN 'sales@' || ${p.company.domain} END
  END)`;
}

/** An email as people type it: as is, upper-case, padded with spaces. */
export function emailVariant(email: string, i: string, salt: number | string): string {
  return `CASE ${rnd(i, salt, 4)} WHEN 1 THEN upper(${email}) WHEN 2 THEN ' ' || ${email} || ' ' ELSE ${email} END`;
}

/** The phone one record carries, typed in one of five formats, its extension in one of four. */
export function recordPhone(i: string, salt: number | string): string {
  const p = person(i);
  const q = rnd(i, salt, 100);
  const digits = `(CASE WHEN ${p.phoneStyle} = 0 AND NOT (${q} BETWEEN 12 AND 15) THEN ${p.mobile} ELSE ${p.company.switchboard} END)`;
  const rest = `substr(${digits}, 2)`;
  const typed = `CASE ${rnd(i, `${salt} + 1`, 5)} WHEN 0 THEN '+' || ${digits} WHEN 1 THEN '(' || substr(${rest}, 1, 3) || ') ' || substr(${rest}, 4, 3) || '-' || substr(${rest}, 7) WHEN 2 THEN substr(${rest}, 1, 3) || '.' || substr(${rest}, 4, 3) || '.' || substr(${rest}, 7) WHEN 3 THEN '+1 ' || ${rest} ELSE '1-' || substr(${rest}, 1, 3) || '-' || substr(${rest}, 4, 3) || '-' || substr(${rest}, 7) END`;
  const ext = `CASE ${rnd(i, `${salt} + 2`, 4)} WHEN 0 THEN ' ext. ' WHEN 1 THEN ' x' WHEN 2 THEN ' #' ELSE ';ext=' END || ${p.extension}`;
  return `(CASE WHEN ${p.phoneStyle} = 3 OR ${q} < 12 THEN NULL WHEN ${p.phoneStyle} = 1 THEN ${typed} || ${ext} ELSE ${typed} END)`;
}

/** First name as one record has it: 3% a nickname, 1% missing. */
export function recordFirst(i: string, salt: number | string): string {
  const p = person(i);
  const r = rnd(i, salt, 100);
  return `(CASE WHEN ${r} < 1 THEN NULL WHEN ${r} < 4 AND ${p.nickname} <> '' THEN ${p.nickname} ELSE ${p.first} END)`;
}

/** Last name (with a generational suffix) as one record has it: 1% with two letters swapped. */
export function recordLast(i: string, salt: number | string): string {
  const p = person(i);
  const typo = `substr(${p.last}, 1, 2) || substr(${p.last}, 4, 1) || substr(${p.last}, 3, 1) || substr(${p.last}, 5)`;
  return `(CASE WHEN ${rnd(i, salt, 100)} < 1 THEN ${typo} ELSE ${p.last} END || ${p.suffix})`;
}
