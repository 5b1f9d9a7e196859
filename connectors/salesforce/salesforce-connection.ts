import { TideError } from '../../core/tide-error.js';
import { type ConnectionDeps, ConnectionPool } from '../connections.js';
import { SalesforceBulk } from './salesforce-bulk.js';
import { SalesforceClient } from './salesforce-client.js';
import type { SalesforceSourceConfig } from './salesforce-config.js';
import { SalesforceOAuth } from './salesforce-oauth.js';
import { createSalesforcePolicy } from './salesforce-policy.js';
import { ApiQuota, BulkJobAllowance } from './salesforce-quota.js';

/** This session's salesforce connections, by source name. */
const POOL = new ConnectionPool<SalesforceConnection>('salesforce');

/** Tuning for tests: retries and backoff of the shared HTTP client. */
export interface SalesforceTuning {
  readonly maxRetries?: number;
  readonly backoff?: { baseMs?: number; maxMs?: number };
  /** Wait after a concurrent-request limit (default 5 s). */
  readonly concurrencyRetryMs?: number;
}

/**
 * One Salesforce org's connection: one OAuth session, one daily-allowance tracker, one concurrency
 * limit and one Bulk job allowance, shared by every stream of the source and by reverse ETL writers
 * so together they stay inside what the org allows.
 */
export interface SalesforceConnection {
  readonly client: SalesforceClient;
  readonly bulk: SalesforceBulk;
  readonly quota: ApiQuota;
  /** The day's remaining Bulk API 2.0 query jobs (asks GET /limits once). */
  bulkJobs(): Promise<BulkJobAllowance>;
}

export function salesforceConnectionFor(
  config: SalesforceSourceConfig,
  deps: ConnectionDeps & { readonly tuning?: SalesforceTuning },
): SalesforceConnection {
  return POOL.shared(deps, config.name, () => {
    const envNames = [
      config.clientIdEnv,
      config.clientSecretEnv,
      ...(config.refreshTokenEnv ? [config.refreshTokenEnv] : []),
    ];
    const read = (name: string, what: string): string => {
      const value = deps.env[name];
      if (value === undefined || value.trim() === '') {
        throw new TideError(
          'credentials_missing',
          `${config.name}: environment variable ${name} is not set`,
          {
            hint: `export ${name}=<${what}> (Salesforce Setup → App Manager → your connected app)`,
          },
        );
      }
      return value.trim();
    };
    const clientId = read(config.clientIdEnv, "the connected app's consumer key");
    const clientSecret = read(config.clientSecretEnv, "the connected app's consumer secret");
    const refreshToken = config.refreshTokenEnv
      ? read(config.refreshTokenEnv, 'an OAuth refresh token')
      : undefined;

    const oauth = new SalesforceOAuth({
      loginUrl: deps.baseUrl ?? config.instanceUrl,
      credentials: { clientId, clientSecret, ...(refreshToken === undefined ? {} : { refreshToken }) },
      envNames,
      source: config.name,
      ...(deps.requestLog ? { requestLog: deps.requestLog } : {}),
      ...(deps.rateLimitWaits ? { rateLimitWaits: deps.rateLimitWaits } : {}),
    });
    const quota = new ApiQuota(config.apiQuotaShare);
    const client = new SalesforceClient({
      oauth,
      policy: createSalesforcePolicy({
        oauth,
        quota,
        envNames,
        ...(deps.tuning?.concurrencyRetryMs === undefined
          ? {}
          : { concurrencyRetryMs: deps.tuning.concurrencyRetryMs }),
      }),
      source: config.name,
      apiVersion: config.apiVersion,
      concurrency: config.concurrency,
      ...(deps.requestLog ? { requestLog: deps.requestLog } : {}),
      ...(deps.rateLimitWaits ? { rateLimitWaits: deps.rateLimitWaits } : {}),
      ...(deps.tuning?.maxRetries === undefined ? {} : { maxRetries: deps.tuning.maxRetries }),
      ...(deps.tuning?.backoff ? { backoff: deps.tuning.backoff } : {}),
    });

    let allowance: Promise<BulkJobAllowance> | null = null;
    const bulkJobs = (): Promise<BulkJobAllowance> => {
      if (allowance === null) {
        const pending = client.limits().then((limits) => {
          const jobs = new BulkJobAllowance(config.bulkJobsDailyCap);
          const org = limits.DailyBulkV2QueryJobs;
          if (org) jobs.orgLimits(org.Max, org.Remaining);
          return jobs;
        });
        allowance = pending;
        pending.catch(() => {
          if (allowance === pending) allowance = null;
        });
      }
      return allowance;
    };
    return { client, bulk: new SalesforceBulk(client), quota, bulkJobs };
  });
}
