import { formatPhone, personAt, variantEmail } from '../kit/universe.js';
import { rngFor } from './pipedrive-time.js';
import { customValue, type RecordSeeder, type SeedContext, seedRows } from './seed-context.js';

const EMAIL_LABELS = ['work', 'work', 'home', 'other'] as const;
const PHONE_LABELS = ['work', 'mobile', 'mobile', 'home'] as const;

/** Persons: the universe's people Pipedrive holds, in universe order. */
export function personSeeder(ctx: SeedContext): RecordSeeder {
  return {
    seed: (table) => seedRows(ctx, table, 11, ctx.held.length),
    values: (table, slot) => seededPerson(ctx, table.base(slot)),
  };
}

/**
 * A seeded person in v2 shape (without id and times): a universe person as a sales team typed them
 * into Pipedrive, with emails and phones as labelled arrays in their own mix of cases and formats.
 */
function seededPerson(ctx: SeedContext, slot: number): Record<string, unknown> {
  const index = ctx.held[slot]!;
  const p = personAt(ctx.seed, index, ctx.universe);
  const r = rngFor(ctx.seed, 1, index);
  const emails: { value: string; primary: boolean; label: string }[] = [];
  if (!r.chance(0.06))
    emails.push({ value: variantEmail(p.email, 1 + r.int(4)), primary: true, label: r.pick(EMAIL_LABELS) });
  if (r.chance(0.15)) {
    const personal = `${p.firstName}.${p.lastName}${index}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
    emails.push({ value: `${personal}@gmail.com`, primary: emails.length === 0, label: 'home' });
  }
  const phones: { value: string; primary: boolean; label: string }[] = [];
  if (!r.chance(0.2))
    phones.push({
      value: formatPhone(p.phoneDigits, r.int(4) + 1),
      primary: true,
      label: r.pick(PHONE_LABELS),
    });
  const custom: Record<string, unknown> = {};
  const fields = ctx.catalog.custom('persons');
  const chances = [0.7, 0.6, 0.3, 0.25];
  fields.forEach((def, i) => {
    const hint = `https://www.linkedin.com/in/${p.firstName}-${p.lastName}-${index}`.toLowerCase();
    custom[def.key] = i < chances.length && r.chance(chances[i]!) ? customValue(def, r, hint) : null;
  });
  return {
    name: `${p.firstName} ${p.lastName}`,
    first_name: p.firstName,
    last_name: p.lastName,
    owner_id: ctx.userIds[index % ctx.userIds.length]!,
    org_id: r.chance(0.9) ? p.companyIndex + 1 : null,
    emails,
    phones,
    visible_to: 3,
    label_ids: [],
    picture_id: null,
    postal_address: null,
    notes: null,
    im: [],
    birthday: null,
    job_title: p.jobTitle,
    custom_fields: custom,
  };
}
