import { personAt } from '../kit/universe.js';
import type { EntityTable } from './entity-table.js';
import { ANCHOR_MS, isoDate, rngFor } from './pipedrive-time.js';
import { type RecordSeeder, type SeedContext, seedRows } from './seed-context.js';

const TYPES = ['call', 'meeting', 'email', 'task', 'deadline', 'lunch'] as const;

/** Activities: one per person on average; some belong to one of the company's deals (as it is now). */
export function activitySeeder(ctx: SeedContext, deals: EntityTable): RecordSeeder {
  return {
    // Activities pile up towards the present, as in a real account (and as the scores' window expects).
    seed: (table) => seedRows(ctx, table, 14, ctx.held.length, true),
    values: (table, slot) => seededActivity(ctx, table.base(slot), table.addMs(slot), deals.size),
  };
}

/** A seeded activity in v2 shape: due around its creation, done when due before the anchor. */
function seededActivity(
  ctx: SeedContext,
  slot: number,
  addMs: number,
  deals: number,
): Record<string, unknown> {
  const r = rngFor(ctx.seed, 4, slot);
  const type = r.pick(TYPES);
  const personSlot = ctx.activityTargets.pick(r);
  const person = personAt(ctx.seed, ctx.held[personSlot]!, ctx.universe);
  const dueMs = addMs + r.int(21) * 86_400_000;
  return {
    subject: `${type[0]!.toUpperCase()}${type.slice(1)} with ${person.firstName} ${person.lastName}`,
    type,
    owner_id: ctx.userIds[slot % ctx.userIds.length]!,
    is_deleted: false,
    deal_id: deals > 0 && r.chance(0.3) ? 1 + r.int(deals) : null,
    lead_id: null,
    person_id: personSlot + 1,
    org_id: person.companyIndex + 1,
    due_date: isoDate(dueMs),
    due_time: `${String(8 + r.int(10)).padStart(2, '0')}:${r.chance(0.5) ? '00' : '30'}`,
    duration: r.pick(['00:15', '00:30', '01:00']),
    busy: type === 'meeting',
    done: dueMs < ANCHOR_MS && r.chance(0.8),
    priority: null,
    note: null,
  };
}
