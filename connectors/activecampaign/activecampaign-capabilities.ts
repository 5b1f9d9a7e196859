import type { DestinationCapabilities } from '../../core/destination.js';

/** What ActiveCampaign's write API can do: config validation refuses a sync that needs more. */
export const ACTIVECAMPAIGN_CAPABILITIES: DestinationCapabilities = {
  match: ['id', 'email'],
  matchAdvice:
    'match by the contact id (raw.<source>__contacts._tide_id) or by email; ActiveCampaign has no external-id fields',
  upsertBy: ['email'],
  upsertAdvice: 'ActiveCampaign creates contacts by email only (contact/sync, bulk import): match by email',
  objects: ['contacts'],
  emailField: 'email',
};
