import { ACCOUNT } from './sobject-account.js';
import { EVENT, TASK } from './sobject-activities.js';
import { CONTACT } from './sobject-contact.js';
import { LEAD } from './sobject-lead.js';
import { OPPORTUNITY, OPPORTUNITY_CONTACT_ROLE } from './sobject-opportunity.js';
import type { SObjectSchema } from './sobject-schema.js';
import { USER } from './sobject-user.js';

/**
 * The eight objects the simulator serves, with field lists after one Developer-Edition org's describe
 * (specs/salesforce/sobjects-oas3-beta-v59.0.subset.json), plus a few custom fields: a cross-object
 * formula (`Account_Industry__c`, which changes without touching the Contact's SystemModstamp, like
 * every Salesforce formula), an external id for upserts and the score fields reverse ETL writes.
 */
export const CATALOG: readonly SObjectSchema[] = [
  ACCOUNT,
  CONTACT,
  LEAD,
  OPPORTUNITY,
  OPPORTUNITY_CONTACT_ROLE,
  TASK,
  EVENT,
  USER,
];

export type SObjectName =
  | 'Account'
  | 'Contact'
  | 'Lead'
  | 'Opportunity'
  | 'OpportunityContactRole'
  | 'Task'
  | 'Event'
  | 'User';
