import { ActivityTargets, recentHeavy, seedAnchorMs } from '../kit/seed-anchor.js';
import { SeededRandom } from '../kit/seeded-random.js';
import {
  companyAt,
  companyCount,
  formatPhone,
  holds,
  personAt,
  type UniverseShare,
  variantEmail,
} from '../kit/universe.js';
import { INDUSTRY_LABELS } from './dynamics-entities.js';
import { type LookupRef, type Row, rowId } from './dynamics-table.js';

/**
 * Seeded rows of every table, each a pure function of (seed, universe, index), so the simulator
 * regenerates a row instead of storing it. Dynamics holds about 45% of the shared universe's people
 * (kit/universe.ts: the same people the other CRMs hold) as contacts, a few more as leads (some of them also contacts: the duplicates
 * identity resolution must merge), every company as an account, and deals and activities on them.
 */

/**
 * Seeded history ends at the kit's anchor (00:00 UTC of the day the simulator starts, shared by every
 * CRM of a demo): equal seeds serve equal rows on one day, and activities stay recent.
 */
export const ANCHOR_MS = seedAnchorMs();
const SPAN_MS = 2 * 365 * 86_400_000;
/** Rows created by one import share a second (ties at one modifiedon, across pages). */
const IMPORT_BLOCK = 200;
export const SYSTEM_USERS = 12;

const ACTIVITY_SHARE: Readonly<Record<string, number>> = {
  phonecall: 0.5,
  email: 0.8,
  task: 0.4,
  appointment: 0.3,
};
const ACTIVITY_TAG: Readonly<Record<string, number>> = {
  phonecall: 41,
  email: 42,
  task: 43,
  appointment: 44,
};
const SUBJECTS = ['Intro', 'Follow-up', 'Pricing', 'Renewal', 'Onboarding', 'Quarterly review', 'Demo'];
const STEPS = ['1-Qualify', '2-Develop', '3-Propose', '4-Close'];

export function rngFor(seed: number, tag: number, index: number): SeededRandom {
  return new SeededRandom(
    (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2f) + Math.imul(tag, 0x165667b1) + Math.imul(index, 0x9e3779b1)) >>>
      0,
  );
}

/** `2026-01-01T00:00:00Z`: Dataverse's datetime shape (UTC, whole seconds). */
export function dataverseTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

export interface SeedPlan {
  readonly seed: number;
  readonly universe: number;
  /** Universe index of each contact, by contact index. */
  readonly contacts: Int32Array;
  /** Universe index of each lead, by lead index. */
  readonly leads: Int32Array;
  /** Contact index of a universe person held as a contact (-1 when not held). */
  readonly contactOfPerson: Int32Array;
  /** Lead index of a universe person held as a lead (-1 when not held). */
  readonly leadOfPerson: Int32Array;
  readonly accounts: number;
  readonly opportunities: number;
  readonly activities: Readonly<Record<string, number>>;
  /** Who activities are about: half of them the universe's engaged people (kit/seed-anchor.ts). */
  readonly activityTargets: ActivityTargets;
}

/** Dynamics (another business unit's sales team) holds about 45 % of the universe's people as contacts. */
export const DYNAMICS_CONTACTS: UniverseShare = { share: 0.45, stream: 15 };
/** …and about 12 % as leads, drawn apart, so some people are both (a lead qualified into a contact). */
export const DYNAMICS_LEADS: UniverseShare = { share: 0.12, stream: 16 };

export function planSeed(seed: number, universe: number): SeedPlan {
  const contacts = new Int32Array(universe);
  const leads = new Int32Array(universe);
  const contactOfPerson = new Int32Array(universe).fill(-1);
  const leadOfPerson = new Int32Array(universe).fill(-1);
  let c = 0;
  let l = 0;
  for (let i = 0; i < universe; i++) {
    if (holds(seed, DYNAMICS_CONTACTS, i)) {
      contactOfPerson[i] = c;
      contacts[c++] = i;
    }
    if (holds(seed, DYNAMICS_LEADS, i)) {
      leadOfPerson[i] = l;
      leads[l++] = i;
    }
  }
  const contactCount = Math.max(1, c);
  const held = contacts.slice(0, contactCount);
  return {
    seed,
    universe,
    contacts: held,
    leads: leads.slice(0, Math.max(1, l)),
    contactOfPerson,
    leadOfPerson,
    accounts: companyCount(universe),
    opportunities: Math.ceil(contactCount / 4),
    activities: Object.fromEntries(
      Object.entries(ACTIVITY_SHARE).map(([name, share]) => [name, Math.ceil(contactCount * share)]),
    ),
    activityTargets: new ActivityTargets(seed, contactCount, (slot) => held[slot]!),
  };
}

/** Seeded row counts per table. */
export function seededCounts(plan: SeedPlan): Readonly<Record<string, number>> {
  return {
    contact: plan.contacts.length,
    account: plan.accounts,
    lead: plan.leads.length,
    opportunity: plan.opportunities,
    systemuser: SYSTEM_USERS,
    ...plan.activities,
  };
}

/** Created and modified times of row `index` of `count`: creation spreads over two years. */
function timeline(
  seed: number,
  tag: number,
  index: number,
  count: number,
): { created: string; modified: string } {
  const block = Math.floor(index / IMPORT_BLOCK);
  const blocks = Math.max(1, Math.ceil(count / IMPORT_BLOCK));
  const r = rngFor(seed, tag + 1000, block);
  const imported = r.chance(0.25);
  const blockStart = ANCHOR_MS - SPAN_MS + Math.floor((block * SPAN_MS) / blocks);
  const createdMs = imported
    ? blockStart
    : blockStart + rngFor(seed, tag, index).int(Math.floor(SPAN_MS / blocks));
  if (imported) return { created: dataverseTime(createdMs), modified: dataverseTime(createdMs) };
  const edited = rngFor(seed, tag + 2000, index);
  const modifiedMs = edited.chance(0.6)
    ? createdMs + edited.int(Math.max(1, ANCHOR_MS - createdMs))
    : createdMs;
  return { created: dataverseTime(createdMs), modified: dataverseTime(modifiedMs) };
}

const CODES: Readonly<Record<string, number>> = {
  contact: 0xc0,
  account: 0xa0,
  lead: 0x1e,
  opportunity: 0x0e,
  systemuser: 0x5e,
};

/**
 * A lead's state: half the leads of people who are also contacts were qualified into that contact
 * (the contact names it in originatingleadid), some others disqualified, the rest open.
 */
function leadState(seed: number, person: number, isContact: boolean): 0 | 1 | 2 {
  const r = rngFor(seed, 8, person);
  if (isContact && r.chance(0.5)) return 1;
  return r.chance(0.15) ? 2 : 0;
}

function ref(entity: string, index: number): LookupRef {
  return { id: rowId(CODES[entity]!, index), entity };
}

function owner(seed: number, index: number): LookupRef {
  return ref('systemuser', rngFor(seed, 90, index).int(SYSTEM_USERS));
}

/** The seeder of one table: index → row values (without the primary key, which the table sets). */
export function seederFor(logicalName: string, plan: SeedPlan): (index: number) => Row {
  const { seed, universe } = plan;
  switch (logicalName) {
    case 'contact':
      return (i) => {
        const person = plan.contacts[i]!;
        const p = personAt(seed, person, universe);
        const r = rngFor(seed, 1, person);
        const t = timeline(seed, 1, i, plan.contacts.length);
        return {
          createdon: t.created,
          modifiedon: t.modified,
          versionnumber: i + 1,
          ownerid: owner(seed, i),
          statecode: 0,
          statuscode: 1,
          firstname: p.firstName,
          lastname: p.lastName,
          fullname: `${p.firstName} ${p.lastName}`,
          emailaddress1: r.chance(0.05) ? null : variantEmail(p.email, r.int(4)),
          telephone1: r.chance(0.25) ? null : formatPhone(p.phoneDigits, r.int(4)),
          mobilephone: r.chance(0.7) ? null : formatPhone(p.phoneDigits, r.int(4)),
          jobtitle: r.chance(0.2) ? null : p.jobTitle,
          address1_city: r.chance(0.3) ? null : p.city,
          address1_country: r.chance(0.3) ? null : p.country,
          parentcustomerid: r.chance(0.9) ? ref('account', p.companyIndex) : null,
          originatingleadid:
            plan.leadOfPerson[person]! >= 0 && leadState(seed, person, true) === 1
              ? ref('lead', plan.leadOfPerson[person]!)
              : null,
          masterid: null,
          merged: false,
          donotemail: r.chance(0.1),
          preferredcontactmethodcode: 1 + r.int(5),
          description: null,
          tide_score: null,
          tide_rating: null,
          tide_tier: r.chance(0.3) ? 100_000_000 + r.int(3) : null,
          tide_externalid: `ext-${person}`,
        };
      };
    case 'account':
      return (i) => {
        const c = companyAt(seed, i);
        const r = rngFor(seed, 2, i);
        const t = timeline(seed, 2, i, plan.accounts);
        return {
          createdon: t.created,
          modifiedon: t.modified,
          versionnumber: i + 1,
          ownerid: owner(seed, i),
          statecode: 0,
          statuscode: 1,
          name: c.name,
          emailaddress1: r.chance(0.6) ? null : `info@${c.domain}`,
          telephone1: null,
          websiteurl: r.chance(0.2) ? null : r.chance(0.5) ? `https://www.${c.domain}` : c.domain,
          industrycode: r.chance(0.15) ? null : 1 + Math.max(0, INDUSTRY_LABELS.indexOf(c.industry as never)),
          numberofemployees: r.chance(0.2) ? null : c.employees,
          revenue: r.chance(0.3) ? null : c.annualRevenue,
          address1_city: c.city,
          address1_country: c.country,
          primarycontactid: null,
        };
      };
    case 'lead':
      return (i) => {
        const person = plan.leads[i]!;
        const p = personAt(seed, person, universe);
        const company = companyAt(seed, p.companyIndex);
        const r = rngFor(seed, 3, person);
        const t = timeline(seed, 3, i, plan.leads.length);
        const contact = plan.contactOfPerson[person]!;
        const state = leadState(seed, person, contact >= 0);
        return {
          createdon: t.created,
          modifiedon: t.modified,
          versionnumber: i + 1,
          ownerid: owner(seed, i),
          statecode: state,
          statuscode: state === 0 ? 1 + r.int(2) : state === 1 ? 3 : 4,
          firstname: p.firstName,
          lastname: p.lastName,
          fullname: `${p.firstName} ${p.lastName}`,
          emailaddress1: r.chance(0.1) ? null : variantEmail(p.email, r.int(4)),
          telephone1: r.chance(0.4) ? null : formatPhone(p.phoneDigits, r.int(4)),
          mobilephone: null,
          jobtitle: r.chance(0.3) ? null : p.jobTitle,
          companyname: company.name,
          websiteurl: r.chance(0.5) ? null : company.domain,
          address1_city: r.chance(0.4) ? null : p.city,
          address1_country: r.chance(0.4) ? null : p.country,
          parentaccountid: state === 1 ? ref('account', p.companyIndex) : null,
          parentcontactid: state === 1 && contact >= 0 ? ref('contact', contact) : null,
          masterid: null,
          merged: false,
        };
      };
    case 'opportunity':
      return (i) => {
        const contact = (i * 7919) % plan.contacts.length;
        const p = personAt(seed, plan.contacts[contact]!, universe);
        const r = rngFor(seed, 4, i);
        const t = timeline(seed, 4, i, plan.opportunities);
        const state = r.chance(0.55) ? 0 : r.chance(0.6) ? 1 : 2;
        const amount = 1000 * (1 + r.int(200));
        const close = dataverseTime(Date.parse(t.created) + (10 + r.int(180)) * 86_400_000).slice(0, 10);
        return {
          createdon: t.created,
          modifiedon: t.modified,
          versionnumber: i + 1,
          ownerid: owner(seed, i),
          statecode: state,
          statuscode: state + 1,
          name: `${companyAt(seed, p.companyIndex).name} — ${r.pick(SUBJECTS)}`,
          estimatedvalue: r.chance(0.1) ? null : amount,
          actualvalue: state === 1 ? amount : null,
          estimatedclosedate: close,
          actualclosedate: state === 0 ? null : close,
          stepname: r.pick(STEPS),
          customerid: ref('account', p.companyIndex),
          parentaccountid: ref('account', p.companyIndex),
          parentcontactid: r.chance(0.8) ? ref('contact', contact) : null,
        };
      };
    case 'systemuser':
      return (i) => {
        const p = personAt(seed ^ 0x5e, i, SYSTEM_USERS);
        return {
          createdon: dataverseTime(ANCHOR_MS - SPAN_MS),
          modifiedon: dataverseTime(ANCHOR_MS - SPAN_MS + i * 1000),
          versionnumber: i + 1,
          firstname: p.firstName,
          lastname: p.lastName,
          fullname: `${p.firstName} ${p.lastName}`,
          internalemailaddress: `${p.firstName}.${p.lastName}${i}@tide-demo.example.com`.toLowerCase(),
          isdisabled: i === SYSTEM_USERS - 1,
        };
      };
    default: {
      const tag = ACTIVITY_TAG[logicalName];
      const count = plan.activities[logicalName];
      if (tag === undefined || count === undefined) return () => ({});
      return (i) => {
        const r = rngFor(seed, tag, i);
        const contact = plan.activityTargets.pick(r);
        const person = personAt(seed, plan.contacts[contact]!, universe);
        // A year of activities, piling up towards the anchor as a CRM's do.
        const startMs =
          ANCHOR_MS - Math.floor((1 - recentHeavy((i + r.next()) / count)) * 365 * 86_400_000) - 3_600_000;
        const state = startMs < ANCHOR_MS - 30 * 86_400_000 ? (r.chance(0.9) ? 1 : 2) : 0;
        const regarding = r.chance(0.85) ? ref('contact', contact) : ref('account', person.companyIndex);
        return {
          createdon: dataverseTime(startMs - 86_400_000),
          modifiedon: dataverseTime(state === 0 ? startMs - 86_400_000 : startMs + 3_600_000),
          versionnumber: i + 1,
          ownerid: owner(seed, i),
          statecode: state,
          statuscode: state + 1,
          subject: `${r.pick(SUBJECTS)} (${logicalName})`,
          description: r.chance(0.5) ? null : `Notes about ${person.firstName}`,
          regardingobjectid: regarding,
          scheduledstart: dataverseTime(startMs),
          scheduledend: dataverseTime(startMs + 3_600_000),
          actualend: state === 1 ? dataverseTime(startMs + 3_600_000) : null,
        };
      };
    }
  }
}
