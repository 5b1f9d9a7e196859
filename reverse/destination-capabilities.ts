import type { MatchKind } from './sync-config.js';

/**
 * What each CRM's write API can do, declared once (like a Kysely adapter's flags) so config
 * validation can refuse an impossible sync before anything runs, instead of each writer failing late.
 */
export interface DestinationCapabilities {
  readonly vendor: string;
  readonly match: readonly MatchKind[];
  readonly matchAdvice: string;
  /** Match kinds with a native create-or-update write. */
  readonly upsertBy: readonly MatchKind[];
  readonly upsertAdvice: string;
  /** Objects the writer supports; null = whatever the CRM's metadata API knows. */
  readonly objects: readonly string[] | null;
  /** The field `match: { by: 'email' }` uses when the sync names none. */
  readonly emailField: string | null;
}

const CAPABILITIES: Readonly<Record<string, DestinationCapabilities>> = {
  hubspot: {
    vendor: 'HubSpot',
    match: ['id', 'email', 'external-id'],
    matchAdvice: 'match by id, email or a unique-value property',
    upsertBy: ['email', 'external-id'],
    upsertAdvice: 'batch/upsert keys on email or a unique-value property',
    objects: null,
    emailField: 'email',
  },
  salesforce: {
    vendor: 'Salesforce',
    match: ['id', 'email', 'external-id'],
    matchAdvice: 'match by Id, email or an External ID field',
    upsertBy: ['external-id'],
    upsertAdvice:
      'Salesforce upserts only by an External ID field (Email cannot be one): match by external-id, or use mode update',
    objects: null,
    emailField: 'Email',
  },
  pipedrive: {
    vendor: 'Pipedrive',
    match: ['id'],
    matchAdvice:
      'Pipedrive has no keyed write by email or external id (only one PATCH per record id): carry the Pipedrive id through your model (raw.<source>__persons._tide_id) and match by id',
    upsertBy: [],
    upsertAdvice: 'Pipedrive has no upsert endpoint: use mode update or fill-empty with match by id',
    objects: ['persons', 'organizations', 'deals'],
    emailField: null,
  },
};

export function capabilitiesOf(kind: string): DestinationCapabilities | undefined {
  return CAPABILITIES[kind];
}
