import { SeededRandom } from '../kit/seeded-random.js';
import {
  companyAt,
  formatPhone,
  holds,
  personAt,
  type UniverseShare,
  variantEmail,
} from '../kit/universe.js';
import { INDUSTRY_OPTIONS, LEAD_SOURCES, type ModuleName, STAGES } from './zoho-field-catalog.js';
import type { StoredValues } from './zoho-table.js';

/** The seeded org is anchored here, so equal seeds serve equal data whatever the day. */
export const ANCHOR_MS = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

export interface SeedUser {
  readonly id: string;
  readonly full_name: string;
  readonly email: string;
}

/** What seeding needs from the store: ids of other modules' records, and the users. */
export interface SeedLinks {
  readonly seed: number;
  readonly people: number;
  readonly users: readonly SeedUser[];
  idOf(module: ModuleName, slot: number): string;
  /** The Accounts slot of a universe company (every company a contact works for has one). */
  accountSlot(companyIndex: number): number | undefined;
  /** The universe person behind a Contacts slot. */
  contactPerson(slot: number): number;
}

/** Zoho holds about 40% of the universe's people (its own random stream, so overlaps are by chance). */
export const ZOHO_PEOPLE: UniverseShare = { share: 0.4, stream: 14 };

/** Which module a universe person lives in, if Zoho holds them: most as contacts, some as leads. */
export function personModule(seed: number, index: number): 'Contacts' | 'Leads' | null {
  if (!holds(seed, ZOHO_PEOPLE, index)) return null;
  return new SeededRandom((seed * 7919 + index * 104_729 + 14) >>> 0).chance(0.75) ? 'Contacts' : 'Leads';
}

/**
 * Seeded times: records come in import blocks of 25 sharing one second (ties), older slots earlier;
 * creation is up to 90 days before the last change.
 */
export function seededTimes(
  slot: number,
  total: number,
  salt: number,
): { created: number; modified: number } {
  const modified = ANCHOR_MS - Math.floor((total - slot) / 25) * 37_000 - salt * 1000;
  const created = modified - new SeededRandom(slot * 31 + salt).int(90) * DAY;
  return { created, modified };
}

function owner(links: SeedLinks, n: number): StoredValues[string] {
  const user = links.users[n % links.users.length]!;
  return { name: user.full_name, id: user.id, email: user.email };
}

function lookup(name: string, id: string): { name: string; id: string } {
  return { name, id };
}

/** The seeded field values of one record, by module (a pure function of the seed and the reference). */
export function seededValues(module: ModuleName, ref: number, links: SeedLinks): StoredValues {
  const r = new SeededRandom((links.seed * 31 + ref * 17 + module.length * 1013) >>> 0);
  switch (module) {
    case 'Contacts': {
      const p = personAt(links.seed, ref, links.people);
      const company = companyAt(links.seed, p.companyIndex);
      const account = links.accountSlot(p.companyIndex);
      return {
        Owner: owner(links, ref),
        First_Name: p.firstName,
        Last_Name: p.lastName,
        // Zoho validates email fields, so no stray whitespace; the case varies as people typed it.
        Email: r.chance(0.05) ? null : variantEmail(p.email, ref).trim(),
        Phone: r.chance(0.1) ? null : formatPhone(p.phoneDigits, ref),
        Mobile: null,
        Title: p.jobTitle,
        Account_Name: account === undefined ? null : lookup(company.name, links.idOf('Accounts', account)),
        Mailing_City: p.city,
        Mailing_Country: p.country,
        Lead_Source: r.pick(LEAD_SOURCES),
        Email_Opt_Out: r.chance(0.1),
        Date_of_Birth: null,
        Full_Name: `${p.firstName} ${p.lastName}`,
        Tide_Score: null,
        Tide_Value: null,
        Customer_Tier: r.chance(0.3) ? r.pick(['Gold', 'Silver', 'Bronze']) : null,
        Interests: r.chance(0.2) ? ['CRM', 'ETL'] : [],
        Drop_Table_X: null,
      };
    }
    case 'Leads': {
      const p = personAt(links.seed, ref, links.people);
      const company = companyAt(links.seed, p.companyIndex);
      return {
        Owner: owner(links, ref),
        Company: company.name,
        First_Name: p.firstName,
        Last_Name: p.lastName,
        Email: variantEmail(p.email, ref + 1).trim(),
        Phone: formatPhone(p.phoneDigits, ref + 1),
        Mobile: null,
        Designation: p.jobTitle,
        Website: `https://www.${company.domain}`,
        City: p.city,
        Country: p.country,
        Lead_Status: r.pick(['Not Contacted', 'Contacted', 'Qualified']),
        Lead_Source: r.pick(LEAD_SOURCES),
        Industry: company.industry,
        No_of_Employees: company.employees,
        Annual_Revenue: company.annualRevenue,
        Tide_Score: null,
      };
    }
    case 'Accounts': {
      const c = companyAt(links.seed, ref);
      return {
        Owner: owner(links, ref),
        Account_Name: c.name,
        Website: r.chance(0.9) ? `https://${c.domain}` : null,
        Industry: INDUSTRY_OPTIONS.includes(c.industry) ? c.industry : null,
        Employees: c.employees,
        Annual_Revenue: c.annualRevenue,
        Phone: null,
        Billing_City: c.city,
        Billing_Country: c.country,
      };
    }
    case 'Deals': {
      const contact = contactLookup(links, ref);
      const p = personAt(links.seed, links.contactPerson(ref), links.people);
      const company = companyAt(links.seed, p.companyIndex);
      const account = links.accountSlot(p.companyIndex);
      return {
        Owner: owner(links, ref),
        Deal_Name: `${company.name} renewal ${ref}`,
        Stage: r.pick(STAGES),
        Amount: Math.round(1000 + r.next() * 99_000),
        Closing_Date: new Date(ANCHOR_MS + (r.int(240) - 120) * DAY).toISOString().slice(0, 10),
        Probability: r.int(101),
        Account_Name: account === undefined ? null : lookup(company.name, links.idOf('Accounts', account)),
        Contact_Name: contact,
      };
    }
    case 'Tasks':
      return {
        Owner: owner(links, ref),
        Subject: `Follow up ${ref}`,
        Due_Date: new Date(ANCHOR_MS - r.int(60) * DAY).toISOString().slice(0, 10),
        Status: r.pick(['Not Started', 'In Progress', 'Completed']),
        Who_Id: contactLookup(links, ref),
        What_Id: null,
        $se_module: null,
      };
    case 'Calls':
      return {
        Owner: owner(links, ref),
        Subject: `Call ${ref}`,
        Call_Type: r.pick(['Outbound', 'Inbound']),
        Call_Start_Time: ANCHOR_MS - r.int(60) * DAY,
        Call_Duration: `${String(1 + r.int(30)).padStart(2, '0')}:00`,
        Who_Id: contactLookup(links, ref),
        What_Id: null,
        $se_module: null,
      };
    case 'Events': {
      const start = ANCHOR_MS - r.int(60) * DAY + 9 * 3_600_000;
      return {
        Owner: owner(links, ref),
        Event_Title: `Meeting ${ref}`,
        Start_DateTime: start,
        End_DateTime: start + 3_600_000,
        Who_Id: contactLookup(links, ref),
        What_Id: null,
        $se_module: null,
      };
    }
    case 'Notes':
      return {
        Owner: owner(links, ref),
        Note_Title: `Note ${ref}`,
        Note_Content: 'Talked about the renewal, "next steps", and pricing;\nsee the deal.',
        Parent_Id: contactLookup(links, ref),
        $se_module: 'Contacts',
      };
  }
}

function contactLookup(links: SeedLinks, contactSlot: number): { name: string; id: string } {
  const p = personAt(links.seed, links.contactPerson(contactSlot), links.people);
  return lookup(`${p.firstName} ${p.lastName}`, links.idOf('Contacts', contactSlot));
}
