import { companyAt } from '../kit/universe.js';
import { contactCompanyIndex } from './contact-seed.js';
import { type ObjectSeeder, seedRows } from './object-seed.js';
import type { ObjectTable } from './object-table.js';
import type { SeedContext } from './seed-context.js';
import { rngFor } from './seed-timeline.js';
import { DEAL_STAGES } from './standard-properties.js';

const PRODUCTS = ['Platform licence', 'Renewal', 'Expansion', 'Pilot', 'Support plan', 'Services'];
const DAY = 86_400_000;

/** Deals per person in the universe. */
export const DEALS_PER_PERSON = 0.25;

/** The contacts-table slot a seeded deal or engagement belongs to. */
export function seededContactSlot(
  ctx: SeedContext,
  tag: number,
  base: number,
  contacts: ObjectTable,
): number {
  return rngFor(ctx.seed, tag, base).int(contacts.seededSize);
}

/** Deals: each associated with one seeded contact and that contact's company; 1% deleted. */
export function dealSeeder(ctx: SeedContext, contacts: ObjectTable): ObjectSeeder {
  return {
    seed(table) {
      seedRows(table, ctx.seed, Math.ceil(ctx.people * DEALS_PER_PERSON), 50);
    },

    values(table, slot) {
      const base = table.base(slot);
      const r = rngFor(ctx.seed, 53, base);
      const contactSlot = seededContactSlot(ctx, 51, base, contacts);
      const companyIndex =
        contacts.base(contactSlot) >= 0 ? contactCompanyIndex(ctx, contacts, contactSlot) : null;
      const account = companyIndex === null ? 'Individual' : companyAt(ctx.seed, companyIndex).name;
      const amountRoll = r.next();
      return {
        dealname: `${account} - ${r.pick(PRODUCTS)}`,
        amount:
          amountRoll < 0.05
            ? null
            : amountRoll < 0.5
              ? String(500 + r.int(200_000))
              : (r.next() * 100_000).toFixed(2),
        dealstage: r.pick(DEAL_STAGES),
        pipeline: 'default',
        closedate: new Date(table.createdMs(slot) + r.int(120) * DAY).toISOString(),
        hubspot_owner_id: r.chance(0.1) ? null : String(r.pick(ctx.ownerIds)),
      };
    },
  };
}
