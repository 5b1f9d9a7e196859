import type { DestinationCapabilities } from '../../core/destination.js';

/** What Zoho's write API can do: config validation refuses a sync that needs more. */
export const ZOHO_CAPABILITIES: DestinationCapabilities = {
  match: ['id', 'email', 'external-id'],
  matchAdvice: 'match by the Zoho record id, Email, or a unique field',
  upsertBy: ['email', 'external-id'],
  upsertAdvice: 'upsert matches through duplicate_check_fields: Email or a unique field, not the record id',
  objects: null,
  emailField: 'Email',
};
