import { defineConfig } from './config/define-config.js';

/**
 * The demo pipeline: every source runs against Tide's built-in simulator of that CRM (the `simulator`
 * block), so `npm start` works offline. To use a real account, delete `simulator` and export the
 * credentials named by the `*Env` keys (see README, "Real CRM credentials").
 */
export default defineConfig({
  sources: [
    {
      kind: 'hubspot',
      name: 'hubspot',
      tokenEnv: 'HUBSPOT_TOKEN',
      simulator: { seed: 42, scale: 5_000, mutationsPerStart: 25 },
    },
    {
      kind: 'salesforce',
      name: 'salesforce',
      clientIdEnv: 'SALESFORCE_CLIENT_ID',
      clientSecretEnv: 'SALESFORCE_CLIENT_SECRET',
      simulator: { seed: 42, scale: 5_000, mutationsPerStart: 25 },
    },
    {
      kind: 'pipedrive',
      name: 'pipedrive',
      apiTokenEnv: 'PIPEDRIVE_API_TOKEN',
      simulator: { seed: 42, scale: 5_000, mutationsPerStart: 25 },
    },
    {
      kind: 'zoho',
      name: 'zoho',
      clientIdEnv: 'ZOHO_CLIENT_ID',
      clientSecretEnv: 'ZOHO_CLIENT_SECRET',
      refreshTokenEnv: 'ZOHO_REFRESH_TOKEN',
      simulator: { seed: 42, scale: 5_000, mutationsPerStart: 25 },
    },
    {
      kind: 'activecampaign',
      name: 'activecampaign',
      accountUrl: 'https://youraccount.api-us1.com',
      apiTokenEnv: 'ACTIVECAMPAIGN_API_TOKEN',
      // 5 requests per second per account and one write per contact: the demo account holds 1% of
      // the people (54 contacts), so it adds seconds, not minutes, to `npm start` (README).
      simulator: { seed: 42, scale: 5_000, mutationsPerStart: 10, share: 0.01 },
    },
    {
      kind: 'dynamics',
      name: 'dynamics',
      environmentUrl: 'https://tide-demo.crm.dynamics.com',
      tenantId: '5eed7e4a-0000-4000-8000-00000000d365',
      clientIdEnv: 'DYNAMICS_CLIENT_ID',
      clientSecretEnv: 'DYNAMICS_CLIENT_SECRET',
      simulator: { seed: 42, scale: 5_000, mutationsPerStart: 25 },
    },
  ],
  warehouse: { kind: 'duckdb', path: './tide.duckdb' },
  // Reverse ETL: `tide run` pushes each customer's score back after the models build (README,
  // "Reverse ETL"). Only changed scores are sent; rows without a HubSpot id are counted, not sent.
  syncs: [
    {
      name: 'scores_to_hubspot',
      from: 'analytics.customer_scores',
      to: { crm: 'hubspot', object: 'contacts' },
      match: { by: 'id', column: 'hubspot_contact_id' },
      fields: { score: 'tide_score' },
    },
    {
      name: 'scores_to_salesforce',
      from: 'analytics.customer_scores',
      to: { crm: 'salesforce', object: 'Contact' },
      match: { by: 'id', column: 'salesforce_contact_id' },
      fields: { score: 'Tide_Score__c' },
    },
    {
      name: 'scores_to_pipedrive',
      from: 'analytics.customer_scores',
      to: { crm: 'pipedrive', object: 'persons' },
      match: { by: 'id', column: 'pipedrive_person_id' },
      fields: { score: 'Lead score' },
    },
    {
      name: 'scores_to_zoho',
      from: 'analytics.customer_scores',
      to: { crm: 'zoho', object: 'Contacts' },
      match: { by: 'id', column: 'zoho_contact_id' },
      fields: { score: 'Tide_Score' },
    },
    {
      name: 'scores_to_activecampaign',
      from: 'analytics.customer_scores',
      to: { crm: 'activecampaign', object: 'contacts' },
      match: { by: 'id', column: 'activecampaign_contact_id' },
      fields: { score: 'Tide Score' },
    },
    {
      name: 'scores_to_dynamics',
      from: 'analytics.customer_scores',
      to: { crm: 'dynamics', object: 'contacts' },
      match: { by: 'id', column: 'dynamics_contact_id' },
      fields: { score: 'tide_score' },
    },
  ],
});
