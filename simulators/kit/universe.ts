import { SeededRandom } from './seeded-random.js';

/**
 * One deterministic population of people and companies that every CRM simulator samples from, so the
 * demo CRMs overlap the way a real company's CRMs do: the same people, with emails in another case,
 * phones in another format, some missing in one CRM and present in another. Everything is a pure
 * function of (seed, index): generating record 900,000 costs the same as record 0 and needs no state.
 */
export interface Person {
  readonly index: number;
  readonly firstName: string;
  readonly lastName: string;
  /** Canonical lower-case email; CRMs may store it in another case. */
  readonly email: string;
  /** Digits of an E.164 number without '+', e.g. '14155550123'. */
  readonly phoneDigits: string;
  readonly companyIndex: number;
  readonly jobTitle: string;
  readonly city: string;
  readonly country: string;
}

export interface Company {
  readonly index: number;
  readonly name: string;
  readonly domain: string;
  readonly industry: string;
  readonly employees: number;
  readonly annualRevenue: number;
  readonly city: string;
  readonly country: string;
}

const FIRST = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Frances',
  'Edsger',
  'Radia',
  'Tim',
  'Hedy',
  'John',
  'Katherine',
  'Niklaus',
  'Sophie',
  'Guido',
  'Anita',
  'Bjarne',
  'Lena',
  'Marco',
  'Yuki',
  'Priya',
  'Omar',
  'Chloé',
  'José',
  'Zoë',
  'Mateo',
  'Aisha',
  'Noah',
  'Emma',
  'Liam',
  'Olivia',
  'Lucas',
  'Mia',
  'Hugo',
  'Ingrid',
  'Kwame',
  'Mei',
];
const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Ritchie',
  'Allen',
  'Dijkstra',
  'Perlman',
  'Berners-Lee',
  'Lamarr',
  'McCarthy',
  'Johnson',
  'Wirth',
  'Wilson',
  'van Rossum',
  'Borg',
  'Stroustrup',
  'Schmidt',
  'Rossi',
  'Tanaka',
  'Patel',
  'Haddad',
  'Dubois',
  'García',
  "O'Brien",
  'Silva',
  'Okafor',
  'Müller',
  'Nguyen',
  'Kowalski',
  'Larsen',
  'Costa',
  'Ivanova',
  'Kim',
  'Chen',
  'Mensah',
  'Novak',
];
/** The last names, shared with the models bench's labelled population (test/labelled/labelled-people.ts). */
export const LAST_NAMES: readonly string[] = LAST;
const WORDS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
  'Wonka',
  'Aperture',
  'Black Mesa',
  'Oscorp',
  'Massive',
  'Dynamic',
  'Blue',
  'Northwind',
  'Contoso',
  'Fabrikam',
  'Litware',
  'Tailspin',
  'Adventure',
  'Proseware',
  'Lucerne',
  'Alpine',
  'Coho',
  'Fourth',
  'Humongous',
];
const SUFFIX = [
  'Inc',
  'Corp',
  'GmbH',
  'Ltd',
  'Labs',
  'Systems',
  'Group',
  'Analytics',
  'Software',
  'Partners',
];
export const INDUSTRIES = [
  'Software',
  'Finance',
  'Healthcare',
  'Retail',
  'Manufacturing',
  'Education',
  'Logistics',
  'Media',
  'Energy',
  'Consulting',
];
const TITLES = [
  'CEO',
  'CTO',
  'VP Sales',
  'Head of Marketing',
  'Data Engineer',
  'Account Executive',
  'Operations Manager',
  'Analyst',
  'Founder',
  'Procurement Lead',
];
const PLACES: readonly (readonly [string, string, string])[] = [
  ['San Francisco', 'US', '1415'],
  ['New York', 'US', '1212'],
  ['Austin', 'US', '1512'],
  ['London', 'GB', '4420'],
  ['Berlin', 'DE', '4930'],
  ['Paris', 'FR', '331'],
  ['Toronto', 'CA', '1416'],
  ['Sydney', 'AU', '612'],
  ['Amsterdam', 'NL', '3120'],
  ['Madrid', 'ES', '3491'],
];
export const FREE_MAIL_DOMAINS = [
  'gmail.com',
  'yahoo.com',
  'outlook.com',
  'hotmail.com',
  'icloud.com',
  'proton.me',
] as const;

/** Companies per person: a realistic B2B ratio (about eight contacts per account). */
export function companyCount(people: number): number {
  return Math.max(1, Math.ceil(people / 8));
}

function rng(seed: number, kind: number, index: number): SeededRandom {
  return new SeededRandom(
    (Math.imul(seed ^ 0x9e3779b9, 31) + Math.imul(kind, 0x85ebca6b) + Math.imul(index, 0xc2b2ae35)) >>> 0,
  );
}

function ascii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '')
    .toLowerCase();
}

export function companyAt(seed: number, index: number): Company {
  const r = rng(seed, 2, index);
  const word = r.pick(WORDS);
  const suffix = r.pick(SUFFIX);
  const name = `${word} ${suffix}${index >= WORDS.length * SUFFIX.length ? ` ${index}` : ''}`;
  const place = r.pick(PLACES);
  const employees = Math.round(10 ** (1 + r.next() * 3.5));
  return {
    index,
    name,
    domain: `${ascii(word)}${ascii(suffix)}${index}.example.com`,
    industry: r.pick(INDUSTRIES),
    employees,
    annualRevenue: employees * (50_000 + r.int(250_000)),
    city: place[0],
    country: place[1],
  };
}

export function personAt(seed: number, index: number, people: number): Person {
  const r = rng(seed, 1, index);
  const firstName = r.pick(FIRST);
  const lastName = r.pick(LAST);
  const companyIndex = r.int(companyCount(people));
  const company = companyAt(seed, companyIndex);
  const local = `${ascii(firstName)}.${ascii(lastName)}${index}`;
  // One in ten people is known only by a personal address.
  const email = r.chance(0.1) ? `${local}@${r.pick(FREE_MAIL_DOMAINS)}` : `${local}@${company.domain}`;
  const place = r.pick(PLACES);
  const phoneDigits = `${place[2]}555${String(index % 10_000_000).padStart(7, '0')}`;
  return {
    index,
    firstName,
    lastName,
    email,
    phoneDigits,
    companyIndex,
    jobTitle: r.pick(TITLES),
    city: place[0],
    country: place[1],
  };
}

/** Writes a phone the way people type it into CRMs: the same number in several formats. */
export function formatPhone(digits: string, style: number): string {
  const cc = digits.startsWith('1') ? '1' : digits.slice(0, 2);
  const rest = digits.slice(cc.length);
  switch (style % 4) {
    case 0:
      return `+${digits}`;
    case 1:
      return `+${cc} ${rest.slice(0, 3)} ${rest.slice(3, 6)} ${rest.slice(6)}`;
    case 2:
      return cc === '1' ? `(${rest.slice(0, 3)}) ${rest.slice(3, 6)}-${rest.slice(6)}` : `00${cc} ${rest}`;
    default:
      return `${cc === '1' ? '' : '0'}${rest.slice(0, 3)}.${rest.slice(3, 6)}.${rest.slice(6)}`;
  }
}

/** Writes an email the way another CRM stored it (case, stray whitespace). */
export function variantEmail(email: string, style: number): string {
  switch (style % 4) {
    case 0:
      return email;
    case 1:
      return email.toUpperCase();
    case 2:
      return email
        .replace(/^./, (c) => c.toUpperCase())
        .replace(/\.(.)/, (_, c: string) => `.${c.toUpperCase()}`);
    default:
      return ` ${email} `;
  }
}

/**
 * How much of the universe a CRM holds, declared by its simulator (`<crm>/seed-context.ts`): the
 * share of people, and the random stream that picks them (each CRM its own number, so their
 * populations overlap by chance, as real CRMs' do).
 */
export interface UniverseShare {
  readonly share: number;
  readonly stream: number;
}

/** Whether a CRM holds person `index`: a pure function of (seed, the CRM's share, index). */
export function holds(seed: number, crm: UniverseShare, index: number): boolean {
  return rng(seed, crm.stream, index).chance(crm.share);
}

/**
 * Membership for a CRM that holds `share` of the universe, drawn independently per `salt` (a number
 * no other CRM uses), so a CRM added later needs no edit to `holds` above.
 */
export function holdsShare(seed: number, salt: number, share: number, index: number): boolean {
  return rng(seed, salt, index).chance(share);
}
