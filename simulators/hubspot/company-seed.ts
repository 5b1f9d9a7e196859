import { companyAt, companyCount, INDUSTRIES } from '../kit/universe.js';
import { ID_SCHEME, type ObjectSeeder, seedRows } from './object-seed.js';
import type { SeedContext } from './seed-context.js';
import { rngFor } from './seed-timeline.js';
import { CUSTOMER_TIERS, INDUSTRY_CODES } from './standard-properties.js';

/** A company website the way people type it: scheme or not, www or not, trailing paths. */
export function companyWebsite(domain: string, style: number): string {
  switch (style % 5) {
    case 0:
      return `https://www.${domain}`;
    case 1:
      return `http://${domain}/`;
    case 2:
      return domain;
    case 3:
      return `www.${domain}/about`;
    default:
      return `https://${domain.toUpperCase()}/en-us?utm_source=crm`;
  }
}

/** Companies: every company of the universe, in universe order (slot = company index); 1% deleted. */
export function companySeeder(ctx: SeedContext): ObjectSeeder {
  return {
    seed(table) {
      seedRows(table, ctx.seed, companyCount(ctx.people), 40);
    },

    values(table, slot) {
      const company = companyAt(ctx.seed, table.base(slot));
      const r = rngFor(ctx.seed, 43, company.index);
      // INDUSTRY_CODES lists HubSpot's codes in the order of the universe's industry names.
      const industry = INDUSTRIES.indexOf(company.industry);
      return {
        name: company.name,
        domain: r.chance(0.05) ? null : r.chance(0.1) ? company.domain.toUpperCase() : company.domain,
        website: r.chance(0.15) ? null : companyWebsite(company.domain, r.int(5)),
        industry: r.chance(0.1) || industry < 0 ? null : INDUSTRY_CODES[industry]!,
        numberofemployees: r.chance(0.1) ? null : String(company.employees),
        annualrevenue: r.chance(0.2) ? null : String(company.annualRevenue),
        city: company.city,
        country: company.country,
        hubspot_owner_id: r.chance(0.1) ? null : String(r.pick(ctx.ownerIds)),
        customer_tier: r.chance(0.25) ? r.pick(CUSTOMER_TIERS) : null,
      };
    },
  };
}

/** Id of the seeded company at a universe index. */
export function companyIdAt(index: number): number {
  return ID_SCHEME.companies.first + index * ID_SCHEME.companies.step;
}
