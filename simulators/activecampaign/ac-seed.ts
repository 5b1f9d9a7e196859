import { isEngagedPerson, recentHeavy, seedAnchorMs } from '../kit/seed-anchor.js';
import { SeededRandom } from '../kit/seeded-random.js';
import { companyAt, formatPhone, holdsShare, personAt, variantEmail } from '../kit/universe.js';
import type { AcStore, ContactFieldType, CustomFieldMeta } from './ac-store.js';
import { toSecond } from './ac-time.js';

const DAY_MS = 86_400_000;
/** Distinct from the other CRMs' membership draws (kit/universe.ts). */
const MEMBERSHIP_SALT = 0xac;

export const CONTACT_FIELDS: readonly {
  readonly title: string;
  readonly type: ContactFieldType;
  readonly options?: readonly string[];
  /** Share of contacts with a seeded value. */
  readonly filled: number;
}[] = [
  { title: 'Job Title', type: 'text', filled: 0.6 },
  { title: 'City', type: 'text', filled: 0.5 },
  {
    title: 'Country',
    type: 'dropdown',
    options: ['US', 'GB', 'DE', 'FR', 'CA', 'AU', 'NL', 'ES'],
    filled: 0.4,
  },
  { title: 'Lead Source', type: 'dropdown', options: ['Webinar', 'Referral', 'Ads', 'Event'], filled: 0.3 },
  // Written by Tide's reverse ETL; contacts have no number type, so a score is text.
  { title: 'Tide Score', type: 'text', filled: 0 },
];

const ACCOUNT_FIELDS: readonly Omit<CustomFieldMeta, 'id' | 'createdMs' | 'updatedMs'>[] = [
  { fieldLabel: 'Industry', fieldType: 'text', fieldOptions: null },
  { fieldLabel: 'Employees', fieldType: 'number', fieldOptions: null },
  { fieldLabel: 'Annual Revenue', fieldType: 'currency', fieldOptions: null },
];
const DEAL_FIELDS: readonly Omit<CustomFieldMeta, 'id' | 'createdMs' | 'updatedMs'>[] = [
  { fieldLabel: 'Close Date', fieldType: 'date', fieldOptions: null },
  { fieldLabel: 'Deal Source', fieldType: 'dropdown', fieldOptions: ['Inbound', 'Outbound', 'Partner'] },
];

const USERS = [
  ['admin', 'Avery', 'Admin'],
  ['sam.sales', 'Sam', 'Seller'],
  ['mo.marketing', 'Mo', 'Marketer'],
  ['ines.ops', 'Ines', 'Ops'],
] as const;

export interface SeedOptions {
  readonly seed: number;
  /** Size of the shared people universe (the `scale` every demo CRM gets, so they overlap). */
  readonly universe: number;
  /** Share of the universe this account holds as contacts. */
  readonly share: number;
  /** Where the seeded history ends: 00:00 UTC of the day the simulator starts (kit/seed-anchor.ts). */
  readonly anchorMs?: number;
}

/**
 * Fills an account from the shared universe: the people it holds as contacts (their email in this
 * CRM's own case, phones in their own format, some names and values missing), one account per
 * company of those people, account–contact links with job titles, deals, notes and four users.
 * Contacts come in import blocks sharing one second; about one in twelve was never stamped with an
 * update (`udate` null).
 */
export function seedAccount(store: AcStore, options: SeedOptions): void {
  const { seed, universe, share } = options;
  const anchorMs = options.anchorMs ?? seedAnchorMs();
  const r = new SeededRandom(seed ^ 0xac5eed);
  const start = anchorMs - 365 * DAY_MS;
  USERS.forEach(([username, firstName, lastName], i) => {
    store.users.add({ id: i + 1, username, firstName, lastName, email: `${username}@tide-demo.example` });
  });
  for (const f of CONTACT_FIELDS) {
    store.fields.add({
      id: store.fields.nextId,
      title: f.title,
      type: f.type,
      perstag: f.title.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
      options: f.options ?? [],
      cdateMs: start,
      udateMs: start,
    });
  }
  for (const f of ACCOUNT_FIELDS)
    store.accountFields.add({ ...f, id: store.accountFields.nextId, createdMs: start, updatedMs: start });
  for (const f of DEAL_FIELDS)
    store.dealFields.add({ ...f, id: store.dealFields.nextId, createdMs: start, updatedMs: start });

  const accountOf = new Map<number, number>();
  let blockMs = start;
  for (let index = 0; index < universe; index++) {
    if (!holdsShare(seed, MEMBERSHIP_SALT, share, index)) continue;
    const p = personAt(seed, index, universe);
    // Import blocks: every 40th contact starts a new second, the others share it.
    if (store.contacts.size % 40 === 0)
      blockMs = toSecond(start + r.next() * (anchorMs - start - 30 * DAY_MS));
    const udateMs = r.chance(0.08) ? null : toSecond(blockMs + r.int(30 * DAY_MS));
    const contact = store.addContact({
      email: variantEmail(p.email, r.int(3)).trim(),
      firstName: r.chance(0.05) ? '' : p.firstName,
      lastName: r.chance(0.05) ? '' : p.lastName,
      phone: r.chance(0.25) ? '' : formatPhone(p.phoneDigits, r.int(4)),
      cdateMs: blockMs,
      udateMs,
    });
    const valueMs = udateMs ?? blockMs;
    const values = [p.jobTitle, p.city, p.country, r.pick(CONTACT_FIELDS[3]!.options ?? ['Ads']), ''];
    CONTACT_FIELDS.forEach((f, i) => {
      if (r.chance(f.filled)) store.setFieldValue(contact.id, i + 1, values[i]!, valueMs);
    });
    if (r.chance(0.85)) {
      let account = accountOf.get(p.companyIndex);
      if (account === undefined) {
        account = seedAccountRow(store, seed, p.companyIndex, r, start);
        accountOf.set(p.companyIndex, account);
      }
      store.accountContacts.add({
        id: store.accountContacts.nextId,
        account,
        contact: contact.id,
        jobTitle: r.chance(0.7) ? p.jobTitle : '',
        createdMs: blockMs,
        updatedMs: valueMs,
      });
      if (r.chance(0.35)) seedDeal(store, r, contact.id, account, blockMs, anchorMs);
    }
    // Notes pile up towards the present, and people in a buying cycle get several (kit/seed-anchor.ts).
    const notes = isEngagedPerson(seed, index) ? 1 + r.int(4) : r.chance(0.4) ? 1 : 0;
    for (let n = 0; n < notes; n++) {
      const at = toSecond(Math.max(contact.cdateMs, start + recentHeavy(r.next()) * (anchorMs - start)));
      store.notes.add({
        id: store.notes.nextId,
        note: `Call with ${p.firstName}: ${r.pick(['follow up next week', 'asked for pricing', 'demo booked'])}`,
        relid: contact.id,
        reltype: 'Subscriber',
        userid: 1 + r.int(USERS.length),
        cdateMs: at,
        mdateMs: at,
      });
    }
  }
}

function seedAccountRow(
  store: AcStore,
  seed: number,
  companyIndex: number,
  r: SeededRandom,
  start: number,
): number {
  const c = companyAt(seed, companyIndex);
  const createdMs = toSecond(start + r.int(30 * DAY_MS));
  const updatedMs = toSecond(createdMs + r.int(200 * DAY_MS));
  const account = store.accounts.add({
    id: store.accounts.nextId,
    name: c.name,
    accountUrl: r.chance(0.8) ? `https://www.${c.domain}` : null,
    owner: 1 + r.int(USERS.length),
    createdMs,
    updatedMs,
  });
  const values = [c.industry, String(c.employees), String(c.annualRevenue * 100)];
  const shares = [0.7, 0.6, 0.4];
  store.accountFields.rows().forEach((f, i) => {
    if (!r.chance(shares[i] ?? 0)) return;
    store.accountFieldData.add({
      id: store.accountFieldData.nextId,
      owner: account.id,
      customFieldId: f.id,
      fieldValue: values[i] ?? '',
      createdMs,
      updatedMs,
    });
  });
  return account.id;
}

function seedDeal(
  store: AcStore,
  r: SeededRandom,
  contact: number,
  account: number,
  fromMs: number,
  anchorMs: number,
): void {
  const cdateMs = Math.min(toSecond(fromMs + r.int(60 * DAY_MS)), anchorMs);
  const mdateMs = Math.min(toSecond(cdateMs + r.int(90 * DAY_MS)), anchorMs);
  const deal = store.deals.add({
    id: store.deals.nextId,
    title: `${r.pick(['Renewal', 'New business', 'Upsell', 'Pilot'])} ${store.deals.nextId}`,
    value: (1 + r.int(200)) * 50_000,
    currency: 'usd',
    status: r.pick([0, 0, 1, 2] as const),
    stage: 1 + r.int(5),
    group: 1,
    owner: 1 + r.int(USERS.length),
    contact,
    account,
    cdateMs,
    mdateMs: Math.max(cdateMs, mdateMs),
  });
  if (r.chance(0.5)) {
    store.dealFieldData.add({
      id: store.dealFieldData.nextId,
      owner: deal.id,
      customFieldId: 2,
      fieldValue: r.pick(['Inbound', 'Outbound', 'Partner']),
      createdMs: cdateMs,
      updatedMs: cdateMs,
    });
  }
}
