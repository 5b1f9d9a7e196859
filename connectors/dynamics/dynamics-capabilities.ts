import type { DestinationCapabilities } from '../../core/destination.js';

/** What Dataverse's write API can do: config validation refuses a sync that needs more. */
export const DYNAMICS_CAPABILITIES: DestinationCapabilities = {
  match: ['id', 'email', 'external-id'],
  matchAdvice: 'match by the row id (a GUID), by email (emailaddress1) or by the column of an alternate key',
  upsertBy: ['external-id'],
  upsertAdvice:
    'Dataverse creates missing rows only when keyed by an alternate key (PATCH contacts(key=value))',
  objects: null,
  emailField: 'emailaddress1',
};
