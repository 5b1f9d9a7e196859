import { companyAt, personAt } from '../kit/universe.js';
import { isoDate, rfc3339, rngFor } from './pipedrive-time.js';
import { customValue, type RecordSeeder, type SeedContext, seedRows } from './seed-context.js';

const PRODUCTS = ['Starter plan', 'Growth plan', 'Enterprise plan', 'Onboarding', 'Support renewal'];
const CURRENCIES = ['USD', 'USD', 'EUR', 'GBP'];

/** Deals: 0.6 per person (a pipeline has fewer deals than contacts), each for a held person. */
export function dealSeeder(ctx: SeedContext): RecordSeeder {
  return {
    seed: (table) => seedRows(ctx, table, 13, Math.ceil(ctx.held.length * 0.6)),
    values: (table, slot) => seededDeal(ctx, table.base(slot), table.addMs(slot)),
  };
}

/** A seeded deal in v2 shape; `addMs` dates its won/lost time. */
function seededDeal(ctx: SeedContext, slot: number, addMs: number): Record<string, unknown> {
  const r = rngFor(ctx.seed, 3, slot);
  const personSlot = r.int(ctx.held.length);
  const person = personAt(ctx.seed, ctx.held[personSlot]!, ctx.universe);
  const company = companyAt(ctx.seed, person.companyIndex);
  const roll = r.next();
  const status = roll < 0.6 ? 'open' : roll < 0.85 ? 'won' : 'lost';
  const closeMs = addMs + r.int(90) * 86_400_000;
  const custom: Record<string, unknown> = {};
  ctx.catalog.custom('deals').forEach((def) => {
    custom[def.key] = r.chance(0.5) ? customValue(def, r, '') : null;
  });
  return {
    title: `${company.name} – ${r.pick(PRODUCTS)}`,
    owner_id: ctx.userIds[slot % ctx.userIds.length]!,
    person_id: personSlot + 1,
    org_id: person.companyIndex + 1,
    pipeline_id: 1,
    stage_id: status === 'open' ? 1 + r.int(5) : 6,
    value: Math.round(500 + r.next() * 99_500),
    currency: r.pick(CURRENCIES),
    status,
    probability: null,
    lost_reason: status === 'lost' ? 'Price' : null,
    visible_to: 3,
    close_time: status === 'open' ? null : rfc3339(closeMs),
    won_time: status === 'won' ? rfc3339(closeMs) : null,
    lost_time: status === 'lost' ? rfc3339(closeMs) : null,
    expected_close_date: isoDate(closeMs),
    label_ids: [],
    is_archived: false,
    origin: 'ManuallyCreated',
    custom_fields: custom,
  };
}
