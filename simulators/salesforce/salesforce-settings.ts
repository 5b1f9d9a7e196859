import { z } from 'zod';

/** The simulated org's knobs, changed at runtime through `POST /_sim/config`. */
export const SalesforceSimSettingsSchema = z
  .object({
    /** Daily API request allowance (Sforce-Limit-Info `api-usage=N/M`, M). */
    dailyApiLimit: z.number().int().positive(),
    /** Requests counted so far in the rolling 24 hours (N); tests set it to approach the limit. */
    apiUsage: z.number().int().nonnegative(),
    tokenTtlMs: z.number().int().positive(),
    /** Status polls a Bulk query job needs before it completes (UploadComplete → InProgress → JobComplete). */
    bulkPollsToComplete: z.number().int().nonnegative(),
    /** The next N Bulk query jobs end in state Failed. */
    bulkFailNext: z.number().int().nonnegative(),
    bulkFailMessage: z.string(),
    /** Rows per Bulk results page when the client sends no maxRecords. */
    bulkResultsPageSize: z.number().int().positive(),
    /** Bulk API 2.0 query jobs allowed per day, and how many were created today. */
    bulkJobsDailyLimit: z.number().int().positive(),
    bulkJobsToday: z.number().int().nonnegative(),
    /** Idle time after which a query locator (nextRecordsUrl) stops working. */
    queryLocatorTtlMs: z.number().int().positive(),
    /**
     * Rows per REST query page at most, whatever batchSize the client asks for: Salesforce says the
     * batch size "is not guaranteed" (PROTOCOL-FACTS §2), so tests make pages small to cross them.
     */
    queryPageMax: z.number().int().positive().max(2000),
  })
  .strict();
export type SalesforceSimSettings = z.output<typeof SalesforceSimSettingsSchema>;

export const DEFAULT_SETTINGS: SalesforceSimSettings = {
  dailyApiLimit: 100_000,
  apiUsage: 0,
  tokenTtlMs: 2 * 3_600_000,
  bulkPollsToComplete: 2,
  bulkFailNext: 0,
  bulkFailMessage: 'InternalServerError: the query timed out while processing a chunk',
  bulkResultsPageSize: 50_000,
  bulkJobsDailyLimit: 10_000,
  bulkJobsToday: 0,
  queryLocatorTtlMs: 15 * 60_000,
  queryPageMax: 2000,
};

/** `/_sim/config` accepts any subset of the settings, plus one action: expire every issued token. */
export const SalesforceConfigureSchema = SalesforceSimSettingsSchema.partial().extend({
  expireTokens: z.boolean().optional(),
});
