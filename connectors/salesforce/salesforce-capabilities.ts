import type { DestinationCapabilities } from '../../core/destination.js';

/** What Salesforce's write API can do: config validation refuses a sync that needs more. */
export const SALESFORCE_CAPABILITIES: DestinationCapabilities = {
  match: ['id', 'email', 'external-id'],
  matchAdvice: 'match by Id, email or an External ID field',
  upsertBy: ['external-id'],
  upsertAdvice:
    'Salesforce upserts only by an External ID field (Email cannot be one): match by external-id, or use mode update',
  objects: null,
  emailField: 'Email',
};
