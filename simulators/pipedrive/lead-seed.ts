import { createHash } from 'node:crypto';
import { companyAt, personAt } from '../kit/universe.js';
import { rngFor } from './pipedrive-time.js';
import { type RecordSeeder, type SeedContext, seedRows } from './seed-context.js';

/** Leads: one per ten persons (the leads inbox is small next to the pipeline), v1 shape. */
export function leadSeeder(ctx: SeedContext): RecordSeeder {
  return {
    seed: (table) => seedRows(ctx, table, 15, Math.ceil(ctx.held.length / 10)),
    values: (table, slot) => seededLead(ctx, table.base(slot)),
  };
}

/** A stable UUID (version-4 layout) for seeded lead `slot`. */
export function leadUuid(seed: number, slot: number): string {
  const h = createHash('sha1').update(`lead:${seed}:${slot}`).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A seeded lead in v1 shape (without id and times). Leads carry deal custom fields at top level. */
function seededLead(ctx: SeedContext, slot: number): Record<string, unknown> {
  const r = rngFor(ctx.seed, 5, slot);
  const personSlot = r.int(ctx.held.length);
  const person = personAt(ctx.seed, ctx.held[personSlot]!, ctx.universe);
  const company = companyAt(ctx.seed, person.companyIndex);
  const owner = ctx.userIds[slot % ctx.userIds.length]!;
  const channel = ctx.catalog.custom('deals')[0];
  return {
    title: `${company.name} lead`,
    owner_id: owner,
    creator_id: owner,
    label_ids: [],
    person_id: personSlot + 1,
    organization_id: r.chance(0.7) ? person.companyIndex + 1 : null,
    source_name: r.pick(['Manually created', 'Web forms', 'API', 'Leadbooster']),
    origin: 'ManuallyCreated',
    origin_id: null,
    channel: null,
    channel_id: null,
    source_deal_id: null,
    is_archived: r.chance(0.1),
    was_seen: r.chance(0.8),
    value: r.chance(0.5) ? { amount: 1000 * (1 + r.int(50)), currency: 'USD' } : null,
    expected_close_date: null,
    next_activity_id: null,
    visible_to: '3',
    cc_email: `account+lead${slot}@pipedrivemail.com`,
    ...(channel && r.chance(0.4) ? { [channel.key]: r.pick(channel.options ?? []).id } : {}),
  };
}
