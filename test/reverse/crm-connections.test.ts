import { describe, expect, it } from 'vitest';
import { ConnectionPool, CrmConnections } from '../../connectors/connections.js';
import { HubspotSourceSchema } from '../../connectors/hubspot/hubspot-config.js';
import { hubspotClientFor } from '../../connectors/hubspot/hubspot-connection.js';
import { connectorFor } from '../../connectors/registry.js';
import { MemoryLogger } from '../../log/console-logger.js';

const config = HubspotSourceSchema.parse({ kind: 'hubspot', name: 'hs', tokenEnv: 'HS_TOKEN' });
const env = { HS_TOKEN: 't' };

describe('one connection per CRM account per session', () => {
  it('the account’s Source and Destination use the same HTTP client (one rate budget)', () => {
    const connections = new CrmConnections();
    const deps = { env, connections, log: new MemoryLogger() };
    const connector = connectorFor('hubspot');
    connector.createSource(config, deps);
    const shared = hubspotClientFor(config, deps);
    connector.createDestination(config, deps);
    expect(hubspotClientFor(config, deps)).toBe(shared);
    // Without the session's registry every caller builds its own client (and budget).
    expect(hubspotClientFor(config, { env })).not.toBe(shared);
  });

  it('refuses one name used for two CRM kinds', () => {
    const connections = new CrmConnections();
    const hubspot = new ConnectionPool<number>('hubspot');
    const salesforce = new ConnectionPool<number>('salesforce');
    expect(hubspot.shared({ env, connections }, 'crm', () => 1)).toBe(1);
    expect(() => salesforce.shared({ env, connections }, 'crm', () => 2)).toThrow(
      /both hubspot and salesforce/,
    );
  });

  it('a connector refuses a config of another kind', () => {
    expect(() => connectorFor('salesforce').createSource(config, { env, log: new MemoryLogger() })).toThrow(
      /salesforce connector was given a hubspot config/,
    );
  });

  it('a missing token names its variable, before any request', () => {
    expect(() => hubspotClientFor(config, { env: {} })).toThrow(/HS_TOKEN is not set/);
  });
});
