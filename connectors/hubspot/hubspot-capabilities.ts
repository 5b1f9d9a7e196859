import type { DestinationCapabilities } from '../../core/destination.js';

/** What HubSpot's write API can do: config validation refuses a sync that needs more. */
export const HUBSPOT_CAPABILITIES: DestinationCapabilities = {
  match: ['id', 'email', 'external-id'],
  matchAdvice: 'match by id, email or a unique-value property',
  upsertBy: ['email', 'external-id'],
  upsertAdvice: 'batch/upsert keys on email or a unique-value property',
  objects: null,
  emailField: 'email',
};
