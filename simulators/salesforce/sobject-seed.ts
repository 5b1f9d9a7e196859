import type { Seeder } from '../kit/seeder.js';
import { companyAt, formatPhone, personAt, variantEmail } from '../kit/universe.js';
import { mintId } from './salesforce-ids.js';
import { isoDate } from './salesforce-time.js';
import {
  contactCompany,
  contactPersonIndex,
  leadPersonIndex,
  rngFor,
  type SeedContext,
  seededTimeline,
} from './seed-context.js';
import type { SObjectName } from './sobject-catalog.js';
import {
  INDUSTRIES,
  LEAD_SOURCES,
  LEAD_STATUSES,
  LEVELS,
  ROLES,
  STAGES,
  TASK_STATUSES,
  TASK_SUBTYPES,
} from './sobject-picklists.js';
import type { RecordValues, SObjectTable } from './sobject-table.js';

const KIND: Readonly<Record<SObjectName, number>> = {
  Account: 1,
  Contact: 2,
  Lead: 3,
  Opportunity: 4,
  OpportunityContactRole: 5,
  Task: 6,
  Event: 7,
  User: 8,
};
const DAY_MS = 86_400_000;

/** HubSpot and the universe say "Software"; Salesforce's standard picklist says "Technology". */
function sfIndustry(industry: string): string {
  if (industry === 'Software') return 'Technology';
  if (industry === 'Logistics') return 'Transportation';
  return INDUSTRIES.includes(industry) ? industry : 'Other';
}

const userIds = new WeakMap<SeedContext, string[]>();

/** Owners come from the org's few users; their ids are minted once. */
function userId(ctx: SeedContext, n: number): string {
  let ids = userIds.get(ctx);
  if (ids === undefined) {
    ids = Array.from({ length: ctx.counts.User }, (_, i) => mintId('005', i));
    userIds.set(ctx, ids);
  }
  return ids[Math.abs(n) % ids.length]!;
}

function generateAccount(ctx: SeedContext, seq: number): RecordValues {
  const c = companyAt(ctx.seed, seq);
  const r = rngFor(ctx.seed, KIND.Account, seq);
  const owner = userId(ctx, seq * 7);
  return {
    Name: c.name,
    Type: r.pick(['Prospect', 'Customer - Direct', 'Customer - Channel', 'Other']),
    BillingCity: c.city,
    BillingCountry: c.country,
    BillingStreet: `${1 + r.int(900)} Market Street`,
    BillingPostalCode: String(10_000 + r.int(89_999)),
    Phone: formatPhone(`1${String(2_000_000_000 + seq * 7919).slice(0, 10)}`, r.int(4)),
    Website: `https://www.${c.domain}`,
    Industry: sfIndustry(c.industry),
    AnnualRevenue: c.annualRevenue,
    NumberOfEmployees: c.employees,
    Rating: r.pick(['Hot', 'Warm', 'Cold']),
    OwnerId: owner,
    CreatedById: owner,
    LastModifiedById: owner,
    AccountSource: r.pick(LEAD_SOURCES),
    CustomerPriority__c: r.pick(['High', 'Low', 'Medium']),
    SLA__c: r.pick(['Gold', 'Silver', 'Platinum', 'Bronze']),
    Active__c: r.chance(0.8) ? 'Yes' : 'No',
    NumberofLocations__c: 1 + r.int(40),
    YearStarted: String(1950 + r.int(70)),
  };
}

function generateContact(ctx: SeedContext, seq: number): RecordValues {
  const p = personAt(ctx.seed, contactPersonIndex(ctx, seq), ctx.scale);
  const r = rngFor(ctx.seed, KIND.Contact, seq);
  const owner = userId(ctx, seq * 13);
  const values: RecordValues = {
    AccountId: mintId('001', p.companyIndex),
    FirstName: p.firstName,
    LastName: p.lastName,
    Name: `${p.firstName} ${p.lastName}`,
    // Sales reps type emails as they come: the same person, in another case than HubSpot has.
    Email: variantEmail(p.email, r.int(3)),
    Phone: formatPhone(p.phoneDigits, r.int(4)),
    Title: p.jobTitle,
    MailingCity: p.city,
    MailingCountry: p.country,
    MailingStreet: `${1 + r.int(999)} ${r.pick(['Main St', 'High Street', 'Hauptstraße', 'Rue de la Paix'])}`,
    MailingPostalCode: String(10_000 + r.int(89_999)),
    LeadSource: r.pick(LEAD_SOURCES),
    OwnerId: owner,
    CreatedById: owner,
    LastModifiedById: owner,
    IsEmailBounced: false,
    IsPriorityRecord: r.chance(0.05),
    Level__c: r.pick(LEVELS),
  };
  if (r.chance(0.3)) values.MobilePhone = formatPhone(`4915${p.phoneDigits.slice(-9)}`, r.int(4));
  if (r.chance(0.2)) values.Birthdate = isoDate(Date.UTC(1960 + r.int(40), r.int(12), 1 + r.int(28)));
  if (r.chance(0.3)) values.Languages__c = r.pick(['English', 'English;German', 'French', 'Spanish']);
  return values;
}

function generateLead(ctx: SeedContext, seq: number): RecordValues {
  const p = personAt(ctx.seed, leadPersonIndex(ctx, seq), ctx.scale);
  const c = companyAt(ctx.seed, p.companyIndex);
  const r = rngFor(ctx.seed, KIND.Lead, seq);
  const owner = userId(ctx, seq * 17);
  return {
    FirstName: p.firstName,
    LastName: p.lastName,
    Name: `${p.firstName} ${p.lastName}`,
    Title: p.jobTitle,
    Company: c.name,
    City: p.city,
    Country: p.country,
    Phone: formatPhone(p.phoneDigits, r.int(4)),
    Email: variantEmail(p.email, r.int(3)),
    LeadSource: r.pick(LEAD_SOURCES),
    Status: r.pick(LEAD_STATUSES.slice(0, 2)),
    Industry: sfIndustry(c.industry),
    Rating: r.pick(['Hot', 'Warm', 'Cold']),
    NumberOfEmployees: c.employees,
    AnnualRevenue: c.annualRevenue,
    OwnerId: owner,
    CreatedById: owner,
    LastModifiedById: owner,
    IsConverted: false,
    IsUnreadByOwner: r.chance(0.2),
    IsPriorityRecord: false,
  };
}

/** The Contact an Opportunity was opened for; its Account is that person's company. */
function opportunityContact(ctx: SeedContext, seq: number): number {
  return rngFor(ctx.seed, 200, seq).int(ctx.counts.Contact);
}

function generateOpportunity(ctx: SeedContext, seq: number): RecordValues {
  const contact = opportunityContact(ctx, seq);
  const company = companyAt(ctx.seed, contactCompany(ctx, contact));
  const r = rngFor(ctx.seed, KIND.Opportunity, seq);
  const [stage, probability] = r.pick(STAGES);
  const amount = 1_000 + r.int(199) * 1_000;
  const created = seededTimeline(
    ctx,
    KIND.Opportunity,
    Math.min(seq, ctx.counts.Opportunity - 1),
    ctx.counts.Opportunity,
  ).createdSec;
  const close = new Date(created * 1000 + (14 + r.int(180)) * DAY_MS);
  const closed = stage.startsWith('Closed');
  const owner = userId(ctx, seq * 19);
  return {
    AccountId: mintId('001', company.index),
    ContactId: mintId('003', contact),
    Name: `${company.name} - ${r.pick(['Platform', 'Renewal', 'Expansion', 'Services', 'Pilot'])}`,
    StageName: stage,
    Probability: probability,
    Amount: amount,
    ExpectedRevenue: (amount * probability) / 100,
    CloseDate: isoDate(close.getTime()),
    Type: r.pick(['Existing Customer - Upgrade', 'New Customer', 'Existing Customer - Replacement']),
    LeadSource: r.pick(LEAD_SOURCES),
    IsClosed: closed,
    IsWon: stage === 'Closed Won',
    IsPrivate: false,
    ForecastCategoryName: closed ? 'Closed' : probability >= 75 ? 'Commit' : 'Pipeline',
    ForecastCategory: closed ? 'Closed' : probability >= 75 ? 'Forecast' : 'Pipeline',
    FiscalYear: close.getUTCFullYear(),
    FiscalQuarter: 1 + Math.floor(close.getUTCMonth() / 3),
    Fiscal: `${close.getUTCFullYear()} ${1 + Math.floor(close.getUTCMonth() / 3)}`,
    HasOpportunityLineItem: false,
    OwnerId: owner,
    CreatedById: owner,
    LastModifiedById: owner,
  };
}

function generateContactRole(ctx: SeedContext, seq: number): RecordValues {
  const r = rngFor(ctx.seed, KIND.OpportunityContactRole, seq);
  const owner = userId(ctx, seq * 19);
  return {
    OpportunityId: mintId('006', seq),
    ContactId: mintId('003', opportunityContact(ctx, seq)),
    Role: r.pick(ROLES),
    IsPrimary: true,
    CreatedById: owner,
    LastModifiedById: owner,
  };
}

function generateTask(ctx: SeedContext, seq: number): RecordValues {
  const r = rngFor(ctx.seed, KIND.Task, seq);
  const contact = ctx.activityTargets.pick(r);
  const subtype = r.pick(TASK_SUBTYPES);
  const status = r.pick(TASK_STATUSES);
  const owner = userId(ctx, seq * 23);
  const { createdSec } = seededTimeline(
    ctx,
    KIND.Task,
    Math.min(seq, ctx.counts.Task - 1),
    ctx.counts.Task,
    true,
  );
  return {
    WhoId: mintId('003', contact),
    WhatId: r.chance(0.5) ? mintId('006', r.int(ctx.counts.Opportunity)) : null,
    AccountId: mintId('001', contactCompany(ctx, contact)),
    Subject: subtype === 'Call' ? 'Call' : r.pick(['Send quote', 'Follow up', 'Email', 'Prepare demo']),
    ActivityDate: isoDate(createdSec * 1000 + r.int(30) * DAY_MS),
    Status: status,
    Priority: r.pick(['High', 'Normal', 'Normal', 'Low']),
    IsHighPriority: false,
    IsClosed: status === 'Completed',
    IsArchived: false,
    IsReminderSet: false,
    IsRecurrence: false,
    TaskSubtype: subtype,
    CallDurationInSeconds: subtype === 'Call' ? 30 + r.int(1800) : null,
    CallType: subtype === 'Call' ? r.pick(['Inbound', 'Outbound']) : null,
    OwnerId: owner,
    CreatedById: owner,
    LastModifiedById: owner,
  };
}

function generateEvent(ctx: SeedContext, seq: number): RecordValues {
  const r = rngFor(ctx.seed, KIND.Event, seq);
  const contact = ctx.activityTargets.pick(r);
  const owner = userId(ctx, seq * 29);
  const { createdSec } = seededTimeline(
    ctx,
    KIND.Event,
    Math.min(seq, ctx.counts.Event - 1),
    ctx.counts.Event,
    true,
  );
  const start = createdSec * 1000 + (1 + r.int(20)) * DAY_MS + r.int(9) * 3_600_000;
  const minutes = r.pick([30, 45, 60, 90]);
  return {
    WhoId: mintId('003', contact),
    WhatId: r.chance(0.6) ? mintId('006', r.int(ctx.counts.Opportunity)) : null,
    AccountId: mintId('001', contactCompany(ctx, contact)),
    Subject: r.pick(['Discovery call', 'Demo', 'Quarterly review', 'Lunch']),
    Location: r.pick(['Zoom', 'Google Meet', 'Customer office', null]),
    IsAllDayEvent: false,
    ActivityDateTime: start,
    ActivityDate: isoDate(start),
    StartDateTime: start,
    EndDateTime: start + minutes * 60_000,
    EndDate: isoDate(start + minutes * 60_000),
    DurationInMinutes: minutes,
    ShowAs: 'Busy',
    IsPrivate: false,
    IsChild: false,
    IsGroupEvent: false,
    IsArchived: false,
    IsReminderSet: false,
    EventSubtype: 'Event',
    OwnerId: owner,
    CreatedById: owner,
    LastModifiedById: owner,
  };
}

function generateUser(ctx: SeedContext, seq: number): RecordValues {
  const p = personAt(ctx.seed, 90_000_000 + seq, ctx.scale);
  const r = rngFor(ctx.seed, KIND.User, seq);
  const local = `${p.firstName}.${p.lastName}${seq}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
  return {
    Username: `${local}@tide-demo.example.org`,
    FirstName: p.firstName,
    LastName: p.lastName,
    Name: `${p.firstName} ${p.lastName}`,
    Email: `${local}@tide-demo.example.org`,
    Alias: local.slice(0, 8),
    CommunityNickname: local,
    Title: r.pick(['Account Executive', 'Sales Manager', 'SDR', 'VP Sales', 'Sales Ops']),
    Department: 'Sales',
    City: p.city,
    Country: p.country,
    IsActive: seq === 0 || r.chance(0.9),
    TimeZoneSidKey: r.pick(['America/Los_Angeles', 'America/New_York', 'Europe/London']),
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    UserType: 'Standard',
    ForecastEnabled: r.chance(0.5),
    ManagerId: seq === 0 ? null : mintId('005', 0),
    CreatedById: mintId('005', 0),
    LastModifiedById: mintId('005', 0),
  };
}

const GENERATORS: Readonly<Record<SObjectName, (ctx: SeedContext, seq: number) => RecordValues>> = {
  Account: generateAccount,
  Contact: generateContact,
  Lead: generateLead,
  Opportunity: generateOpportunity,
  OpportunityContactRole: generateContactRole,
  Task: generateTask,
  Event: generateEvent,
  User: generateUser,
};

function isSObjectName(name: string): name is SObjectName {
  return Object.hasOwn(GENERATORS, name);
}

/**
 * One object's seeded records (the kit's convention), for every object of the catalog: the org's
 * count of them on the seeded timeline, about 1% of deletable ones in the recycle bin at start.
 * Business fields are a pure function of the sequence number, also for records created later by
 * simulated activity; seeded ones add their CreatedDate and LastModifiedDate.
 */
export function sobjectSeeder(ctx: SeedContext, object: string): Seeder<SObjectTable, RecordValues> {
  if (!isSObjectName(object)) throw new Error(`no seeded data for ${object}`);
  const count = ctx.counts[object];
  const kind = KIND[object];
  const generate = GENERATORS[object];
  // Activities pile up towards the present (simulators/kit/seed-anchor.ts).
  const recent = object === 'Task' || object === 'Event';
  return {
    seed(table) {
      table.seedRecords(count, (seq) => ({
        modstampSec: seededTimeline(ctx, kind, seq, count, recent).modstampSec,
        deleted: object !== 'User' && rngFor(ctx.seed, kind + 300, seq).chance(0.01),
      }));
    },
    values(_table, seq) {
      const values = generate(ctx, seq);
      if (seq < count) {
        const { createdSec, modstampSec } = seededTimeline(ctx, kind, seq, count, recent);
        values.CreatedDate = createdSec * 1000;
        values.LastModifiedDate = modstampSec * 1000;
      }
      return values;
    },
  };
}
