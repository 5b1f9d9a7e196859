import { describe, expect, it } from 'vitest';
import { ZohoOAuth } from '../../../connectors/zoho/zoho-oauth.js';
import { createZohoPolicy, ZohoCredits } from '../../../connectors/zoho/zoho-policy.js';

const oauth = new ZohoOAuth({
  accountsUrl: 'http://127.0.0.1:9',
  credentials: { clientId: 'id', clientSecret: 'secret', refreshToken: 'refresh' },
  envNames: ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN'],
  source: 'zoho',
});
const body = (code: string, message: string): string =>
  JSON.stringify({ code, details: {}, message, status: 'error' });
const at = (path: string) => ({ method: 'GET', path });

describe('Zoho vendor policy', () => {
  const credits = new ZohoCredits(0);
  const policy = createZohoPolicy({ oauth, credits, envNames: ['ZOHO_CLIENT_ID'] });

  it('tells the day’s credits (stop) from the concurrency limit (wait) and the download cap (wait a slot)', () => {
    const spent = policy.judge(
      429,
      new Headers({ 'x-api-credits-remaining': '0' }),
      body('TOO_MANY_REQUESTS', 'limit reached'),
      at('/crm/v8/Contacts'),
    );
    expect(spent).toMatchObject({ kind: 'fail', error: { code: 'quota_exhausted' } });
    const byMessage = policy.judge(
      429,
      new Headers(),
      body('TOO_MANY_REQUESTS', 'API credit limit exceeded'),
      at('/crm/v8/Leads'),
    );
    expect(byMessage).toMatchObject({ kind: 'fail', error: { code: 'quota_exhausted' } });
    const concurrent = policy.judge(
      429,
      new Headers(),
      body('TOO_MANY_REQUESTS', 'concurrent requests'),
      at('/crm/v8/Leads'),
    );
    expect(concurrent).toMatchObject({ kind: 'wait', afterMs: 2_000 });
    const download = policy.judge(
      429,
      new Headers(),
      body('TOO_MANY_REQUESTS', 'downloads'),
      at('/crm/bulk/v8/read/12/result'),
    );
    expect(download).toMatchObject({ kind: 'wait', afterMs: 10_000 });
  });

  it('re-authenticates on INVALID_TOKEN, names the scopes on OAUTH_SCOPE_MISMATCH, keeps Zoho’s code on a 400', () => {
    expect(
      policy.judge(401, new Headers(), body('INVALID_TOKEN', 'invalid oauth token'), at('/crm/v8/Leads')),
    ).toEqual({
      kind: 'reauthenticate',
    });
    const scope = policy.judge(
      401,
      new Headers(),
      body('OAUTH_SCOPE_MISMATCH', 'invalid oauth scope'),
      at('/crm/v8/Deals'),
    );
    expect(scope).toMatchObject({
      kind: 'fail',
      error: { code: 'permission_denied', hint: expect.stringContaining('ZohoCRM.bulk.READ') },
    });
    const bad = policy.judge(400, new Headers(), body('INVALID_DATA', 'invalid data'), at('/crm/v8/Leads'));
    expect(bad).toMatchObject({
      kind: 'fail',
      error: { code: 'http_error', message: expect.stringContaining('400 INVALID_DATA') },
    });
    expect(policy.judge(503, new Headers(), '<html>down</html>', at('/crm/v8/Leads'))).toMatchObject({
      kind: 'retry',
    });
  });

  it('stops before a request once the credits left reach the configured reserve', () => {
    const reserved = new ZohoCredits(500);
    reserved.observe(new Headers({ 'x-api-credits-remaining': '501' }));
    expect(() => reserved.assertAvailable()).not.toThrow();
    reserved.observe(new Headers({ 'x-api-credits-remaining': '500' }));
    expect(() => reserved.assertAvailable()).toThrow(/500 API credits left today, at the reserve of 500/);
  });
});
