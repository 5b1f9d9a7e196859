import { ActivityTargets, recentHeavy, seedAnchorMs } from '../kit/seed-anchor.js';
import { SeededRandom } from '../kit/seeded-random.js';
import { companyCount, holds, personAt, type UniverseShare } from '../kit/universe.js';
import type { SObjectName } from './sobject-catalog.js';

/**
 * Which people of the shared universe this Salesforce org holds, and how many records of each object
 * it starts with. `scale` is the size of the universe, as for the HubSpot simulator: Contacts are the
 * people Salesforce holds (about 60%, so some people HubSpot has are missing here and a few exist only
 * here); Leads are a quarter of the people it does not hold as Contacts; Accounts are the universe's
 * companies. Person i is `personAt(seed, i, scale)` in every simulator, so the same person has the same
 * name and company everywhere (in another email case and phone format).
 */
export interface SeedContext {
  readonly seed: number;
  readonly scale: number;
  /** The instant seeded data is anchored at: nothing seeded is newer. */
  readonly anchorMs: number;
  readonly orgCreatedMs: number;
  readonly contactPerson: Int32Array;
  readonly leadPerson: Int32Array;
  readonly counts: Readonly<Record<SObjectName, number>>;
  /** Which Contact a Task or Event involves (engaged people get half of them). */
  readonly activityTargets: ActivityTargets;
}

/** Salesforce (sales) holds about 60% of the universe's people as Contacts. */
export const SALESFORCE_PEOPLE: UniverseShare = { share: 0.6, stream: 12 };

/** The start of the day the simulator runs: see simulators/kit/seed-anchor.ts. */
export const ANCHOR_MS = seedAnchorMs();
const HISTORY_MS = 3 * 365 * 86_400_000;

export function buildSeedContext(seed: number, scale: number): SeedContext {
  const contacts: number[] = [];
  const leads: number[] = [];
  for (let i = 0; i < scale; i++) {
    if (holds(seed, SALESFORCE_PEOPLE, i)) contacts.push(i);
    else if (rngFor(seed, 40, i).chance(0.25)) leads.push(i);
  }
  const contactPerson = Int32Array.from(contacts);
  const opportunities = Math.ceil(scale / 4);
  return {
    seed,
    scale,
    anchorMs: ANCHOR_MS,
    orgCreatedMs: ANCHOR_MS - HISTORY_MS - 86_400_000,
    contactPerson,
    leadPerson: Int32Array.from(leads),
    activityTargets: new ActivityTargets(seed, contactPerson.length, (slot) => contactPerson[slot]!),
    counts: {
      Account: companyCount(scale),
      Contact: contactPerson.length,
      Lead: leads.length,
      Opportunity: opportunities,
      OpportunityContactRole: opportunities,
      Task: Math.ceil(scale / 2),
      Event: Math.ceil(scale / 4),
      User: Math.min(200, Math.max(5, Math.ceil(scale / 500))),
    },
  };
}

/** A deterministic random stream per (seed, kind, index): record 900,000 costs what record 0 costs. */
export function rngFor(seed: number, kind: number, index: number): SeededRandom {
  return new SeededRandom(
    (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) +
      Math.imul(kind, 0x165667b1) +
      Math.imul(index, 0x9e3779b1)) >>>
      0,
  );
}

/**
 * CreatedDate spread evenly over three years before the anchor (`recent`: denser towards it, as
 * activities are); half of the records were edited later. Whole seconds, like Salesforce.
 */
export function seededTimeline(
  ctx: SeedContext,
  kind: number,
  seq: number,
  count: number,
  recent = false,
): { createdSec: number; modstampSec: number } {
  const startSec = Math.floor((ctx.anchorMs - HISTORY_MS) / 1000);
  const spanSec = Math.floor(HISTORY_MS / 1000);
  const share = seq / Math.max(1, count);
  const createdSec = startSec + Math.floor((recent ? recentHeavy(share) : share) * spanSec);
  const r = rngFor(ctx.seed, kind + 100, seq);
  const edited = r.chance(0.5);
  const anchorSec = Math.floor(ctx.anchorMs / 1000);
  const modstampSec = edited ? createdSec + Math.floor(r.next() * (anchorSec - createdSec)) : createdSec;
  return { createdSec, modstampSec };
}

/** The person behind a Contact; Contacts created later are people from beyond the universe's end. */
export function contactPersonIndex(ctx: SeedContext, seq: number): number {
  if (seq < ctx.contactPerson.length) return ctx.contactPerson[seq]!;
  return ctx.scale * 2 + (seq - ctx.contactPerson.length);
}

export function leadPersonIndex(ctx: SeedContext, seq: number): number {
  if (seq < ctx.leadPerson.length) return ctx.leadPerson[seq]!;
  return ctx.scale * 4 + seq;
}

export function contactCompany(ctx: SeedContext, seq: number): number {
  return personAt(ctx.seed, contactPersonIndex(ctx, seq), ctx.scale).companyIndex;
}
