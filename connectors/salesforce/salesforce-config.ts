import { z } from 'zod';
import { envVarName, simulatorOptions, sourceName } from '../../core/config-pieces.js';

export const SALESFORCE_STREAMS = [
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'OpportunityContactRole',
  'Task',
  'Event',
  'User',
] as const;
export type SalesforceStreamName = (typeof SALESFORCE_STREAMS)[number];

export const SalesforceSourceSchema = z
  .object({
    kind: z.literal('salesforce'),
    name: sourceName.default('salesforce'),
    /**
     * Where OAuth tokens come from: https://login.salesforce.com, https://test.salesforce.com for
     * sandboxes, or the org's My Domain. API calls then go to the `instance_url` the token names.
     */
    instanceUrl: z.url().default('https://login.salesforce.com'),
    apiVersion: z
      .string()
      .regex(/^\d{2}\.0$/, 'a REST API version such as "62.0"')
      .default('62.0'),
    /** Environment variables holding the connected app's consumer key and secret. */
    clientIdEnv: envVarName,
    clientSecretEnv: envVarName,
    /** When set, the refresh-token flow is used; otherwise the client-credentials flow. */
    refreshTokenEnv: envVarName.optional(),
    streams: z
      .array(z.enum(SALESFORCE_STREAMS))
      .nonempty()
      .default([...SALESFORCE_STREAMS]),
    /** First run reads records modified on or after this date (ISO). Omit for everything. */
    startDate: z.iso.datetime({ offset: true }).or(z.iso.date()).nullable().default(null),
    /**
     * Each incremental read starts this far before the cursor: SystemModstamp is set when a
     * transaction starts, so a long transaction can commit a record "in the past".
     */
    overlapMinutes: z.number().int().nonnegative().default(5),
    /** Reads of more records than this (by SELECT COUNT() over the window) use Bulk API 2.0. */
    bulkThreshold: z.number().int().positive().default(50_000),
    /** Rows per Bulk results page (maxRecords): bounds the memory one page takes. */
    bulkPageRecords: z.number().int().positive().max(1_000_000).default(25_000),
    /** How often a Bulk job's status is polled, and how long a job may take. */
    bulkPollIntervalMs: z.number().int().positive().default(2_000),
    bulkTimeoutMinutes: z.number().int().positive().default(60),
    /** Stop (run status partial) once this share of the org's daily API allowance is used. */
    apiQuotaShare: z.number().gt(0).max(1).default(0.9),
    /** Bulk API 2.0 query jobs Tide may create per day; past it reads fall back to REST queries. */
    bulkJobsDailyCap: z.number().int().nonnegative().default(10_000),
    /**
     * Formula fields change without touching SystemModstamp, so incremental reads never see them
     * change. Streams listed here re-read every record once every N days (e.g. `{ Contact: 7 }`).
     */
    fullRefreshEveryDays: z
      .partialRecord(z.enum(SALESFORCE_STREAMS), z.number().int().positive())
      .default({}),
    /** Requests in flight at once against the org (Salesforce allows 25 long-running ones). */
    concurrency: z.number().int().positive().max(25).default(4),
    simulator: simulatorOptions.optional(),
  })
  .strict();
export type SalesforceSourceConfig = z.output<typeof SalesforceSourceSchema>;
