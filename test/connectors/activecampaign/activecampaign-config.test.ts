import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../config/load-config.js';
import { apiBase } from '../../../connectors/activecampaign/activecampaign-config.js';
import { reconcileDue } from '../../../connectors/activecampaign/activecampaign-reconcile.js';
import { AccountClock, acTime } from '../../../connectors/activecampaign/activecampaign-time.js';

function rejection(input: unknown): string {
  try {
    parseConfig(input);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('ActiveCampaign config', () => {
  it('needs the account URL unless a simulator stands in; the API path is added when missing', () => {
    expect(rejection({ sources: [{ kind: 'activecampaign' }] })).toMatch(
      /sources\[0\]\.accountUrl: required/,
    );
    const config = parseConfig({
      sources: [{ kind: 'activecampaign', accountUrl: 'https://acme.api-us1.com' }],
    });
    expect(config.sources[0]).toMatchObject({
      name: 'activecampaign',
      apiTokenEnv: 'ACTIVECAMPAIGN_API_TOKEN',
      reconcileDeletesEveryHours: 24,
    });
    expect(apiBase('https://acme.api-us1.com')).toBe('https://acme.api-us1.com/api/3/');
    expect(apiBase('https://acme.activehosted.com/api/3/')).toBe('https://acme.activehosted.com/api/3/');
  });

  it('refuses syncs ActiveCampaign cannot do before anything runs', () => {
    const sync = (over: Record<string, unknown>) => ({
      sources: [{ kind: 'activecampaign', accountUrl: 'https://acme.api-us1.com' }],
      syncs: [
        {
          name: 's',
          from: 'analytics.customer_scores',
          to: { crm: 'activecampaign', object: 'contacts' },
          match: { by: 'id', column: 'id' },
          fields: { score: 'Tide Score' },
          ...over,
        },
      ],
    });
    expect(() => parseConfig(sync({}))).not.toThrow();
    expect(rejection(sync({ to: { crm: 'activecampaign', object: 'deals' } }))).toMatch(
      /syncs\[0\]\.to\.object: ActiveCampaign object must be one of contacts/,
    );
    expect(rejection(sync({ match: { by: 'external-id', column: 'x', field: 'PERSTAG' } }))).toMatch(
      /external/i,
    );
  });
});

describe('ActiveCampaign time and cadence', () => {
  it('reads timestamps with the account offset; zero dates are none', () => {
    expect(acTime('2018-09-12T16:53:50-05:00')).toBe(Date.parse('2018-09-12T21:53:50Z'));
    expect(acTime('0000-00-00 00:00:00')).toBeNull();
    expect(acTime(null)).toBeNull();
  });

  it('writes filter bounds as account wall-clock time, an hour early for daylight saving', () => {
    const clock = new AccountClock();
    const at = Date.parse('2026-03-08T12:00:00Z');
    // Before any offset is known: widened by the widest offset there is.
    expect(clock.filterValue(at)).toBe('2026-03-07T22:00:00');
    clock.learn(null, '2026-01-01T00:00:00-05:00');
    expect(clock.filterValue(at)).toBe('2026-03-08T06:00:00');
    clock.learn('2026-01-01T00:00:00+05:30');
    expect(clock.offsetMinutes).toBe(-300);
  });

  it('reconciles on the first run after each multiple of the cadence, every run at 0, never at null', () => {
    const cursor = { value: '2026-05-01T23:00:00.000Z', ids: [] };
    expect(reconcileDue(24, cursor, new Date('2026-05-01T23:30:00Z'))).toBe(false);
    expect(reconcileDue(24, cursor, new Date('2026-05-02T00:10:00Z'))).toBe(true);
    expect(reconcileDue(6, cursor, new Date('2026-05-02T00:10:00Z'))).toBe(true);
    expect(reconcileDue(0, cursor, new Date('2026-05-01T23:00:01Z'))).toBe(true);
    expect(reconcileDue(null, cursor, new Date('2027-01-01T00:00:00Z'))).toBe(false);
    expect(reconcileDue(24, null, new Date('2027-01-01T00:00:00Z'))).toBe(false);
  });
});
