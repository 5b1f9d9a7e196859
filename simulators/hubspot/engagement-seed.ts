import { ActivityTargets } from '../kit/seed-anchor.js';
import type { SeededRandom } from '../kit/seeded-random.js';
import type { EngagementType } from './hubspot-object-types.js';
import { type ObjectSeeder, seedRows } from './object-seed.js';
import type { ObjectTable, PropertyValues } from './object-table.js';
import type { SeedContext } from './seed-context.js';
import { rngFor } from './seed-timeline.js';

/** Engagements per person in the universe, by type. */
export const ENGAGEMENTS_PER_PERSON: Readonly<Record<EngagementType, number>> = {
  calls: 0.2,
  emails: 0.3,
  meetings: 0.1,
  notes: 0.2,
  tasks: 0.1,
};

/** Tags keep each engagement type's random streams apart. */
export const ENGAGEMENT_TAG: Readonly<Record<EngagementType, number>> = {
  calls: 60,
  emails: 64,
  meetings: 68,
  notes: 72,
  tasks: 76,
};

const SUBJECTS = ['Intro', 'Follow-up', 'Pricing', 'Renewal', 'Onboarding', 'Quarterly review', 'Demo'];
const HOUR = 3_600_000;

function typeValues(type: EngagementType, r: SeededRandom, timestampMs: number): PropertyValues {
  const subject = r.pick(SUBJECTS);
  switch (type) {
    case 'calls':
      return {
        hs_call_title: `${subject} call`,
        hs_call_body: r.chance(0.2) ? null : `<p>Discussed ${subject.toLowerCase()}.</p>`,
        hs_call_duration: String(r.int(3_600_000)),
        hs_call_direction: r.pick(['INBOUND', 'OUTBOUND']),
        hs_call_status: r.pick(['COMPLETED', 'NO_ANSWER', 'BUSY', 'FAILED']),
      };
    case 'emails':
      return {
        hs_email_subject: `Re: ${subject}`,
        hs_email_text: r.chance(0.1) ? null : `Hi,\n\nabout the ${subject.toLowerCase()}…\n`,
        hs_email_direction: r.pick(['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL']),
        hs_email_status: r.pick(['SENT', 'BOUNCED', 'FAILED', 'SCHEDULED']),
      };
    case 'meetings':
      return {
        hs_meeting_title: `${subject} meeting`,
        hs_meeting_body: r.chance(0.3) ? null : `Agenda: ${subject}`,
        hs_meeting_start_time: new Date(timestampMs).toISOString(),
        hs_meeting_end_time: new Date(timestampMs + (1 + r.int(2)) * HOUR).toISOString(),
        hs_meeting_outcome: r.pick(['SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED']),
      };
    case 'notes':
      return { hs_note_body: r.chance(0.05) ? '' : `<div>${subject}: call back next week</div>` };
    case 'tasks':
      return {
        hs_task_subject: `${subject} task`,
        hs_task_body: r.chance(0.4) ? null : `Prepare ${subject.toLowerCase()}`,
        hs_task_status: r.pick(['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']),
        hs_task_priority: r.pick(['LOW', 'MEDIUM', 'HIGH']),
        hs_task_type: r.pick(['CALL', 'EMAIL', 'TODO']),
      };
  }
}

const targets = new WeakMap<ObjectTable, ActivityTargets>();

/**
 * The seeded contact an engagement involves: half of the engagements go to the contacts of engaged
 * people (simulators/kit/seed-anchor.ts), so some customers are busy and most are quiet.
 */
export function engagementContactSlot(
  ctx: SeedContext,
  tag: number,
  base: number,
  contacts: ObjectTable,
): number {
  let pick = targets.get(contacts);
  if (!pick) {
    pick = new ActivityTargets(ctx.seed, contacts.seededSize, (slot) => contacts.base(slot));
    targets.set(contacts, pick);
  }
  return pick.pick(rngFor(ctx.seed, tag, base));
}

/** Calls, emails, meetings, notes and tasks: each associated with one seeded contact; 1% deleted. */
export function engagementSeeder(ctx: SeedContext, type: EngagementType): ObjectSeeder {
  const tag = ENGAGEMENT_TAG[type];
  return {
    seed(table) {
      // Activities pile up towards the present, as in a real portal (and as the scores' window expects).
      seedRows(table, ctx.seed, Math.ceil(ctx.people * ENGAGEMENTS_PER_PERSON[type]), tag, true);
    },

    values(table, slot) {
      const r = rngFor(ctx.seed, tag + 3, table.base(slot));
      const timestampMs = table.createdMs(slot) - r.int(7 * 24) * HOUR;
      return {
        hs_timestamp: new Date(timestampMs).toISOString(),
        hubspot_owner_id: r.chance(0.1) ? null : String(r.pick(ctx.ownerIds)),
        ...typeValues(type, r, timestampMs),
      };
    },
  };
}
