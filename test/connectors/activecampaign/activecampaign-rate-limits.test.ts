import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActiveCampaignSourceSchema } from '../../../connectors/activecampaign/activecampaign-config.js';
import { activeCampaignClientFor } from '../../../connectors/activecampaign/activecampaign-connection.js';
import { ActiveCampaignDestination } from '../../../connectors/activecampaign/activecampaign-destination.js';
import { createActiveCampaignPolicy } from '../../../connectors/activecampaign/activecampaign-policy.js';
import { CrmConnections } from '../../../connectors/connections.js';
import { RateLimitWaits } from '../../../http/rate-limit-waits.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import {
  type StartedActiveCampaignSimulator,
  startActiveCampaignSimulator,
} from '../../../simulators/activecampaign/start-activecampaign-simulator.js';
import { runTestSync } from '../../reverse/sync-harness.js';
import { createTable, memoryWarehouse } from '../../reverse/warehouse-fixture.js';
import { TOKEN_ENV } from './activecampaign-harness.js';

/**
 * ActiveCampaign's rate limits join the run's wait budget (issue 16): a 429 is waited out by its
 * Retry-After without using up an attempt, and the bulk import's own limit (a 400 "Rate limit
 * exceeded." over 100 imports a minute) is waited out the same way, so a spent budget stops the
 * sync as partial instead of resubmitting for minutes.
 */
describe('ActiveCampaign rate limits', () => {
  it('a 429 is a wait by Retry-After (one second without it), not a retry', () => {
    const policy = createActiveCampaignPolicy({ token: 't', tokenEnv: TOKEN_ENV });
    const at = { method: 'GET', path: '/api/3/contacts' };
    expect(policy.judge(429, new Headers({ 'retry-after': '30' }), '{}', at)).toMatchObject({
      kind: 'wait',
      afterMs: 30_000,
    });
    expect(policy.judge(429, new Headers(), '{}', at)).toMatchObject({ kind: 'wait', afterMs: 1000 });
    expect(policy.judge(503, new Headers(), '', at)).toMatchObject({ kind: 'retry' });
  });

  describe('bulk import over its per-minute limit', () => {
    let sim: StartedActiveCampaignSimulator;
    beforeAll(async () => {
      sim = await startActiveCampaignSimulator({
        seed: 5,
        scale: 100,
        share: 0.5,
        rateLimit: 1000,
        busy503Share: 0,
        importsPerMinute: 1,
      });
    });
    afterAll(() => sim.close());

    it('is waited out with the run’s budget: a spent budget ends the sync partial (rate_limited)', async () => {
      const config = ActiveCampaignSourceSchema.parse({
        kind: 'activecampaign',
        accountUrl: 'https://tide-test.api-us1.com',
        apiTokenEnv: TOKEN_ENV,
      });
      const deps = {
        env: { [TOKEN_ENV]: sim.apiToken },
        log: new MemoryLogger(),
        baseUrl: sim.baseUrl,
        connections: new CrmConnections(),
        rateLimitWaits: new RateLimitWaits({ budgetMs: 0 }),
      };
      const destination = new ActiveCampaignDestination(config.name, activeCampaignClientFor(config, deps));
      const warehouse = await memoryWarehouse();
      try {
        const emails = Array.from({ length: 12 }, (_, i) => `limited.${i}@example.com`);
        const push = async (salt: number) => {
          await createTable(
            warehouse,
            'analytics.customer_scores',
            emails.map((email, i) => ({ email, score: i + salt })),
            { email: 'VARCHAR', score: 'DOUBLE' },
          );
          return runTestSync({
            warehouse,
            destination,
            sync: {
              name: 'limited',
              from: 'analytics.customer_scores',
              to: { crm: 'activecampaign', object: 'contacts' },
              match: { by: 'email', column: 'email' },
              mode: 'upsert',
              fields: { score: 'Tide Score' },
            },
          });
        };
        // The account allows one import a minute: the first takes it, the second is refused.
        expect((await push(0)).status).toBe('ok');
        const report = await push(100);
        expect(report.status).toBe('partial');
        expect(report.error?.code).toBe('rate_limited');
        expect(report.error?.message).toMatch(/Rate limit exceeded/);
        expect((await sim.control.stats()).byEndpoint['POST /api/3/import/bulk_import']).toBe(2);
      } finally {
        await warehouse.close();
      }
    });
  });
});
