import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EntraToken } from '../../connectors/dynamics/dynamics-token.js';
import { ZohoOAuth } from '../../connectors/zoho/zoho-oauth.js';
import { RateLimitWaits } from '../../http/rate-limit-waits.js';

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A token endpoint that answers 429 (Retry-After: 1) `throttled` times, then a token. */
async function tokenEndpoint(
  throttled: number,
  token: Record<string, unknown>,
): Promise<{ url: string; calls: () => number }> {
  let calls = 0;
  const server = createServer((_req, res) => {
    if (calls++ < throttled) {
      res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('Too Many Requests');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(token));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls: () => calls };
}

/** Fetches one token from the endpoint at `url`, spending from `waits`. */
type FetchToken = (url: string, waits: RateLimitWaits) => Promise<unknown>;

const entra: FetchToken = (url, waits) =>
  new EntraToken({
    authorityUrl: url,
    tenantId: 't',
    environmentUrl: 'https://org.crm.dynamics.com',
    clientId: 'id',
    clientSecret: 'secret',
    envNames: ['DYN_ID', 'DYN_SECRET'],
    source: 'dynamics',
    rateLimitWaits: waits,
  }).bearer();
const zoho: FetchToken = (url, waits) =>
  new ZohoOAuth({
    accountsUrl: url,
    credentials: { clientId: 'id', clientSecret: 'secret', refreshToken: 'refresh' },
    envNames: ['ZOHO_CLIENT_ID'],
    source: 'zoho',
    rateLimitWaits: waits,
  }).session();

/**
 * Issue 16: a token endpoint's 429 is a rate limit like the API's — waited out by its Retry-After
 * from the run's wait budget, not a failure and not a spent attempt (the fault suite's 40 × 429 storm
 * hit Entra ID's token endpoint first and stopped the Dynamics run).
 */
describe.each([
  ['Microsoft Entra ID', entra, { access_token: 'tok', expires_in: 3600 }],
  [
    'Zoho accounts server',
    zoho,
    { access_token: 'tok', api_domain: 'https://www.zohoapis.com', expires_in: 3600 },
  ],
] as const)('%s token endpoint answering 429', (_name, fetchToken, token) => {
  it('waits out more 429s than it has attempts (4), charged to the run’s wait budget', async () => {
    const endpoint = await tokenEndpoint(5, token);
    const waits = new RateLimitWaits({ budgetMs: 60_000 });
    await expect(fetchToken(endpoint.url, waits)).resolves.toBeTruthy();
    expect(endpoint.calls()).toBe(6);
    expect(waits.waits).toBe(5);
    expect(waits.spentMs).toBeGreaterThanOrEqual(5_000);
  }, 20_000);

  it('stops as rate_limited, naming the budget, once the wait budget cannot cover the next wait', async () => {
    const endpoint = await tokenEndpoint(10, token);
    const waits = new RateLimitWaits({ budgetMs: 1_500 });
    await expect(fetchToken(endpoint.url, waits)).rejects.toMatchObject({
      code: 'rate_limited',
      message: expect.stringContaining('budget for waiting out rate limits'),
    });
    expect(endpoint.calls()).toBe(2);
  }, 20_000);
});
