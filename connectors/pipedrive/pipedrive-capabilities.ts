import type { DestinationCapabilities } from '../../core/destination.js';

/** What Pipedrive's write API can do: config validation refuses a sync that needs more. */
export const PIPEDRIVE_CAPABILITIES: DestinationCapabilities = {
  match: ['id'],
  matchAdvice:
    'Pipedrive has no keyed write by email or external id (only one PATCH per record id): carry the Pipedrive id through your model (raw.<source>__persons._tide_id) and match by id',
  upsertBy: [],
  upsertAdvice: 'Pipedrive has no upsert endpoint: use mode update or fill-empty with match by id',
  objects: ['persons', 'organizations', 'deals'],
  emailField: null,
};
