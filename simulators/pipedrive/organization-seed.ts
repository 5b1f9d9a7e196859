import { companyAt } from '../kit/universe.js';
import { rngFor } from './pipedrive-time.js';
import { customValue, type RecordSeeder, type SeedContext, seedRows } from './seed-context.js';

/** Organizations: every company of the universe, in universe order. */
export function organizationSeeder(ctx: SeedContext): RecordSeeder {
  return {
    seed: (table) => seedRows(ctx, table, 12, ctx.companies),
    values: (table, slot) => seededOrganization(ctx, table.base(slot)),
  };
}

/** A seeded organization in v2 shape: organization id N is universe company N − 1. */
function seededOrganization(ctx: SeedContext, slot: number): Record<string, unknown> {
  const c = companyAt(ctx.seed, slot);
  const r = rngFor(ctx.seed, 2, slot);
  const style = r.int(3);
  const website = style === 0 ? `https://${c.domain}` : style === 1 ? `www.${c.domain}` : c.domain;
  const custom: Record<string, unknown> = {};
  ctx.catalog.custom('organizations').forEach((def, i) => {
    custom[def.key] = r.chance(i === 0 ? 0.5 : 0.8) ? customValue(def, r, `ACC-${100_000 + slot}`) : null;
  });
  return {
    name: c.name,
    owner_id: ctx.userIds[slot % ctx.userIds.length]!,
    visible_to: 3,
    address: {
      value: `${c.city}, ${c.country}`,
      country: c.country,
      locality: c.city,
      admin_area_level_1: null,
      postal_code: null,
    },
    label_ids: [],
    website: r.chance(0.85) ? website : null,
    linkedin: null,
    industry: null,
    annual_revenue: r.chance(0.6) ? c.annualRevenue : null,
    employee_count: c.employees,
    custom_fields: custom,
  };
}
