import type { Source, Stream } from '../../core/source.js';
import type { SourceDeps } from '../connections.js';
import type { ActiveCampaignSourceConfig } from './activecampaign-config.js';
import { type ActiveCampaignTuning, activeCampaignClientFor } from './activecampaign-connection.js';
import { ActiveCampaignContactsStream } from './activecampaign-contacts-stream.js';
import { ACCOUNT_FIELDS, CONTACT_FIELDS, CustomFields, DEAL_FIELDS } from './activecampaign-custom-fields.js';
import { ActiveCampaignDealsStream } from './activecampaign-deals-stream.js';
import { ActiveCampaignListStream } from './activecampaign-list-stream.js';
import { MeSchema } from './activecampaign-schemas.js';
import { ActiveCampaignUsersStream } from './activecampaign-users-stream.js';

/**
 * An ActiveCampaign account. Every stream (and the account's reverse-ETL writer) shares one HTTP
 * client and its one 5-per-second budget.
 */
export function createActiveCampaignSource(
  config: ActiveCampaignSourceConfig,
  deps: SourceDeps & { readonly tuning?: ActiveCampaignTuning },
): Source {
  const client = activeCampaignClientFor(config, deps);
  const overlapMs = config.overlapMinutes * 60_000;
  const reconcileEveryHours = config.reconcileDeletesEveryHours;
  const streams = config.streams.map((name): Stream => {
    switch (name) {
      case 'contacts':
        return new ActiveCampaignContactsStream(client, new CustomFields(client, CONTACT_FIELDS), {
          overlapMs,
          reconcileEveryHours,
        });
      case 'deals':
        return new ActiveCampaignDealsStream(client, new CustomFields(client, DEAL_FIELDS), {
          overlapMs,
          reconcileEveryHours,
        });
      case 'accounts':
        return new ActiveCampaignListStream(
          client,
          'accounts',
          new CustomFields(client, ACCOUNT_FIELDS),
          overlapMs,
        );
      case 'users':
        return new ActiveCampaignUsersStream(client);
      default:
        return new ActiveCampaignListStream(client, name, null, overlapMs);
    }
  });
  return {
    name: config.name,
    kind: 'activecampaign',
    streams: () => streams,
    async check() {
      await client.get('users/me', 'users/me', MeSchema);
    },
  };
}
