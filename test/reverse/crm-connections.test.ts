import { describe, expect, it } from 'vitest';
import { CrmConnections } from '../../crm/crm-connections.js';
import { HubspotSourceSchema } from '../../crm/hubspot/hubspot-config.js';
import { hubspotClientFor } from '../../crm/hubspot/hubspot-connection.js';
import { createSource } from '../../extract/create-source.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { createDestination } from '../../reverse/create-destination.js';

const config = HubspotSourceSchema.parse({ kind: 'hubspot', name: 'hs', tokenEnv: 'HS_TOKEN' });
const env = { HS_TOKEN: 't' };

describe('one connection per CRM account per session', () => {
  it('the account’s Source and Destination use the same HTTP client (one rate budget)', () => {
    const connections = new CrmConnections();
    const deps = { env, connections, log: new MemoryLogger() };
    createSource(config, deps);
    const shared = hubspotClientFor(config, deps);
    createDestination(config, deps);
    expect(hubspotClientFor(config, deps)).toBe(shared);
    // Without the session's registry every caller builds its own client (and budget).
    expect(hubspotClientFor(config, { env })).not.toBe(shared);
  });

  it('refuses one name used for two CRM kinds', () => {
    const connections = new CrmConnections();
    connections.shared('crm', 'hubspot', () => 1);
    expect(() => connections.shared('crm', 'salesforce', () => 2)).toThrow(/both hubspot and salesforce/);
  });

  it('a missing token names its variable, before any request', () => {
    expect(() => hubspotClientFor(config, { env: {} })).toThrow(/HS_TOKEN is not set/);
  });
});
