import type { SeededRandom } from '../kit/seeded-random.js';
import {
  companyAt,
  FREE_MAIL_DOMAINS,
  formatPhone,
  holds,
  type Person,
  personAt,
  variantEmail,
} from '../kit/universe.js';
import { companyWebsite } from './company-seed.js';
import { ID_SCHEME, KIND, type ObjectSeeder } from './object-seed.js';
import type { ObjectTable, PropertyValues } from './object-table.js';
import { HUBSPOT_PEOPLE, type SeedContext } from './seed-context.js';
import { ANCHOR_MS, rngFor, timelineFor } from './seed-timeline.js';
import {
  CUSTOMER_TIERS,
  HOSTILE_PROPERTY,
  LEAD_STATUSES,
  LIFECYCLE_STAGES,
  LONG_PROPERTY,
} from './standard-properties.js';

const COLORS = ['red', 'green', 'blue', 'teal', 'Magenta', 'BLACK', 'sky blue', '  orange  '];
const DAY = 86_400_000;

/** Whether a person is only known by a personal address (then HubSpot has no company for them). */
export function usesFreeMail(person: Person): boolean {
  const domain = person.email.slice(person.email.indexOf('@') + 1);
  return (FREE_MAIL_DOMAINS as readonly string[]).includes(domain);
}

/**
 * Contacts: the universe's people HubSpot holds, in universe order. About 2% were entered twice (the
 * copy's email in another case, or none), 1.3% were merged (the record the merge made lists the
 * records it replaced in hs_merged_object_ids; those are no records any more, only ids that read as
 * it: record-merge.ts) and 1% deleted. Values are messy on purpose: missing emails, "john@",
 * phones in four formats or "n/a".
 */
export function contactSeeder(ctx: SeedContext): ObjectSeeder {
  const personOf = (table: ObjectTable, slot: number): Person =>
    personAt(ctx.seed, table.base(slot), ctx.people);

  return {
    seed(table) {
      const { first, step } = ID_SCHEME.contacts;
      let nextId = first;
      const push = (
        person: number,
        kind: number,
        createdMs: number,
        modifiedMs: number,
        archivedMs = Number.NaN,
      ) => {
        table.append({ id: nextId, createdMs, modifiedMs, archivedMs, base: person, kind });
        nextId += step;
      };
      for (let i = 0; i < ctx.people; i++) {
        if (!holds(ctx.seed, HUBSPOT_PEOPLE, i)) continue;
        const t = timelineFor(ctx.seed, 20, i, ctx.people);
        const r = rngFor(ctx.seed, 21, i);
        const roll = r.next();
        const later = (ms: number) => Math.min(ANCHOR_MS - 1, ms + 1 + r.int(30 * DAY));
        if (roll < 0.02) {
          push(i, KIND.normal, t.createdMs, t.modifiedMs);
          const c = later(t.createdMs);
          push(i, KIND.duplicate, c, later(c));
        } else if (roll < 0.033) {
          const losers = roll < 0.03 ? 1 : 2;
          const loserCreated = [later(t.createdMs), later(t.createdMs)];
          const mergedMs = later(Math.max(...loserCreated));
          push(
            i,
            losers === 1 ? KIND.winnerOfOne : KIND.winnerOfTwo,
            t.createdMs,
            Math.max(t.modifiedMs, mergedMs),
          );
          const winner = table.size - 1;
          push(i, KIND.mergedLoser, loserCreated[0]!, mergedMs);
          table.markMerged(winner + 1, winner);
          if (losers === 2) {
            push(i, KIND.mergedLoserSecond, loserCreated[1]!, mergedMs);
            table.markMerged(winner + 2, winner);
          }
        } else if (roll < 0.043) {
          const deletedMs = later(t.modifiedMs);
          push(i, KIND.deleted, t.createdMs, deletedMs, deletedMs);
        } else {
          push(i, KIND.normal, t.createdMs, t.modifiedMs);
        }
      }
    },

    values(table, slot) {
      const person = personOf(table, slot);
      const kind = table.kind(slot);
      const r = contactRandom(ctx, person, kind);
      const company = companyAt(ctx.seed, person.companyIndex);
      const freeMail = usesFreeMail(person);
      const copy = isCopy(kind);
      const email = pickEmail(person, kind, r);
      const phoneRoll = r.next();
      const values: PropertyValues = {
        email,
        firstname: copy && r.chance(0.5) ? person.firstName.toLowerCase() : person.firstName,
        lastname: r.chance(0.01) ? null : person.lastName,
        phone: phoneRoll < 0.1 ? null : phoneRoll < 0.11 ? 'n/a' : formatPhone(person.phoneDigits, r.int(4)),
        company: freeMail || r.chance(0.05) ? null : company.name,
        website: freeMail || r.chance(0.3) ? null : companyWebsite(company.domain, r.int(5)),
        jobtitle: r.chance(0.05) ? null : person.jobTitle,
        city: r.chance(0.08) ? null : person.city,
        country: r.chance(0.08) ? null : person.country,
        lifecyclestage: r.chance(0.1) ? null : r.pick(LIFECYCLE_STAGES),
        hs_lead_status: r.chance(0.3) ? null : r.pick(LEAD_STATUSES),
        hubspot_owner_id: r.chance(0.2) ? null : String(r.pick(ctx.ownerIds)),
        customer_tier: r.chance(0.2) ? r.pick(CUSTOMER_TIERS) : null,
        favorite_color: r.chance(0.3) ? r.pick(COLORS) : null,
        [HOSTILE_PROPERTY]: r.chance(0.05) ? `Robert'); DROP TABLE students;--` : null,
        [LONG_PROPERTY]: r.chance(0.05) ? 'long name, short value' : null,
      };
      if (kind === KIND.winnerOfOne || kind === KIND.winnerOfTwo) {
        const losers = kind === KIND.winnerOfOne ? [slot + 1] : [slot + 1, slot + 2];
        values['hs_merged_object_ids'] = losers.map((s) => String(table.id(s))).join(';');
      }
      return values;
    },
  };
}

function isCopy(kind: number): boolean {
  return kind === KIND.duplicate || kind === KIND.mergedLoser || kind === KIND.mergedLoserSecond;
}

/** A contact row's email; the first draws of the row's random stream (so it can be computed alone). */
function pickEmail(person: Person, kind: number, r: SeededRandom): string | null {
  if (isCopy(kind)) return r.chance(0.7) ? variantEmail(person.email, 1 + r.int(2)).trim() : null;
  if (r.chance(0.03)) return null;
  if (r.chance(0.005)) return `${person.firstName.toLowerCase()}@`;
  return person.email;
}

function contactRandom(ctx: SeedContext, person: Person, kind: number): SeededRandom {
  return rngFor(ctx.seed, 22, person.index * 8 + kind);
}

/** The seeded email of a contact row, without computing its other properties. */
export function seededContactEmail(ctx: SeedContext, table: ObjectTable, slot: number): string | null {
  const person = personAt(ctx.seed, table.base(slot), ctx.people);
  return pickEmail(person, table.kind(slot), contactRandom(ctx, person, table.kind(slot)));
}

/** The company (index in the universe) a seeded contact row belongs to, or null without one. */
export function contactCompanyIndex(ctx: SeedContext, table: ObjectTable, slot: number): number | null {
  const person = personAt(ctx.seed, table.base(slot), ctx.people);
  return usesFreeMail(person) ? null : person.companyIndex;
}
