import type { SeededRandom } from '../kit/seeded-random.js';
import { companyAt, companyCount, formatPhone, personAt } from '../kit/universe.js';
import { companyWebsite } from './company-seed.js';
import type { ObjectType } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';
import type { PropertyValues } from './object-table.js';
import { DEAL_STAGES, LEAD_STATUSES, LIFECYCLE_STAGES } from './standard-properties.js';

const TITLES = ['CEO', 'CTO', 'VP Sales', 'Data Engineer', 'Analyst', 'Head of Marketing', 'Founder'];

/**
 * Values of the `n`-th record created by a mutation: people and companies from beyond the seeded
 * universe (so they are new to every CRM), engagements stamped now.
 */
export function newRecordValues(
  store: HubspotStore,
  type: ObjectType,
  n: number,
  r: SeededRandom,
  nowMs: number,
): PropertyValues {
  const { seed, people } = store.context;
  const owner = String(r.pick(store.context.ownerIds));
  switch (type) {
    case 'contacts': {
      const p = personAt(seed, people + n, people);
      return {
        email: p.email,
        firstname: p.firstName,
        lastname: p.lastName,
        phone: formatPhone(p.phoneDigits, r.int(4)),
        jobtitle: p.jobTitle,
        city: p.city,
        country: p.country,
        lifecyclestage: 'lead',
        hs_lead_status: 'NEW',
        hubspot_owner_id: owner,
      };
    }
    case 'companies': {
      const c = companyAt(seed, companyCount(people) + n);
      return {
        name: c.name,
        domain: c.domain,
        website: companyWebsite(c.domain, r.int(5)),
        numberofemployees: String(c.employees),
        city: c.city,
        country: c.country,
        hubspot_owner_id: owner,
      };
    }
    case 'deals':
      return {
        dealname: `New business ${n}`,
        amount: String(1000 + r.int(50_000)),
        dealstage: 'appointmentscheduled',
        pipeline: 'default',
        closedate: new Date(nowMs + 30 * 86_400_000).toISOString(),
        hubspot_owner_id: owner,
      };
    default:
      return {
        hs_timestamp: new Date(nowMs).toISOString(),
        hubspot_owner_id: owner,
        ...engagementBody(type, n),
      };
  }
}

function engagementBody(type: ObjectType, n: number): PropertyValues {
  switch (type) {
    case 'calls':
      return { hs_call_title: `Call ${n}`, hs_call_direction: 'OUTBOUND', hs_call_status: 'COMPLETED' };
    case 'emails':
      return { hs_email_subject: `Email ${n}`, hs_email_direction: 'EMAIL', hs_email_status: 'SENT' };
    case 'meetings':
      return { hs_meeting_title: `Meeting ${n}`, hs_meeting_outcome: 'SCHEDULED' };
    case 'notes':
      return { hs_note_body: `<p>Note ${n}</p>` };
    default:
      return { hs_task_subject: `Task ${n}`, hs_task_status: 'NOT_STARTED', hs_task_priority: 'MEDIUM' };
  }
}

/** What an edit by a user changes on a record of each type. */
export function editedValues(type: ObjectType, r: SeededRandom): PropertyValues {
  switch (type) {
    case 'contacts':
      return {
        jobtitle: r.pick(TITLES),
        lifecyclestage: r.pick(LIFECYCLE_STAGES),
        hs_lead_status: r.pick(LEAD_STATUSES),
      };
    case 'companies':
      return {
        numberofemployees: String(10 + r.int(5000)),
        annualrevenue: String(100_000 + r.int(50_000_000)),
      };
    case 'deals':
      return { dealstage: r.pick(DEAL_STAGES), amount: String(500 + r.int(200_000)) };
    case 'calls':
      return { hs_call_status: r.pick(['COMPLETED', 'NO_ANSWER', 'BUSY']) };
    case 'emails':
      return { hs_email_status: r.pick(['SENT', 'BOUNCED']) };
    case 'meetings':
      return { hs_meeting_outcome: r.pick(['COMPLETED', 'RESCHEDULED', 'NO_SHOW']) };
    case 'notes':
      return { hs_note_body: `<p>Edited ${r.int(1_000_000)}</p>` };
    default:
      return { hs_task_status: r.pick(['IN_PROGRESS', 'COMPLETED', 'WAITING']) };
  }
}
