import { z } from 'zod';
import { envVarName, simulatorOptions, sourceName } from '../../core/config-pieces.js';

export const ZOHO_STREAMS = [
  'Leads',
  'Contacts',
  'Accounts',
  'Deals',
  'Tasks',
  'Calls',
  'Events',
  'Notes',
  'users',
] as const;
export type ZohoStreamName = (typeof ZOHO_STREAMS)[number];

/**
 * Zoho's data centres: each has its own accounts server (OAuth) and API host; an org lives in one
 * (PROTOCOL-FACTS-ZOHO… §1 "Data centres & auth").
 */
export const DATA_CENTRES = {
  us: { accounts: 'https://accounts.zoho.com', api: 'https://www.zohoapis.com' },
  eu: { accounts: 'https://accounts.zoho.eu', api: 'https://www.zohoapis.eu' },
  in: { accounts: 'https://accounts.zoho.in', api: 'https://www.zohoapis.in' },
  au: { accounts: 'https://accounts.zoho.com.au', api: 'https://www.zohoapis.com.au' },
  jp: { accounts: 'https://accounts.zoho.jp', api: 'https://www.zohoapis.jp' },
  cn: { accounts: 'https://accounts.zoho.com.cn', api: 'https://www.zohoapis.com.cn' },
  sa: { accounts: 'https://accounts.zoho.sa', api: 'https://www.zohoapis.sa' },
  ca: { accounts: 'https://accounts.zohocloud.ca', api: 'https://www.zohoapis.ca' },
} as const;

export const ZohoSourceSchema = z
  .object({
    kind: z.literal('zoho'),
    name: sourceName.default('zoho'),
    /** The data centre the org lives in (the `location` of the consent redirect): us, eu, in, … */
    dataCentre: z
      .enum(Object.keys(DATA_CENTRES) as [keyof typeof DATA_CENTRES, ...(keyof typeof DATA_CENTRES)[]])
      .default('us'),
    /** Overrides the data centre's accounts server (the consent redirect's `accounts-server`). */
    accountsUrl: z.url().optional(),
    /** Environment variables holding the OAuth client (Zoho API console) and its refresh token. */
    clientIdEnv: envVarName,
    clientSecretEnv: envVarName,
    refreshTokenEnv: envVarName,
    streams: z
      .array(z.enum(ZOHO_STREAMS))
      .nonempty()
      .default([...ZOHO_STREAMS]),
    /** First run reads records modified on or after this date (ISO). Omit for everything. */
    startDate: z.iso.datetime({ offset: true }).or(z.iso.date()).nullable().default(null),
    /** Each incremental read starts this far before the cursor (writes committed late). */
    overlapMinutes: z.number().int().nonnegative().default(1),
    /**
     * An incremental window that turns out larger than this (records read through the Records API) is
     * finished through Bulk Read; first loads and full refreshes always use Bulk Read. At most 100,000
     * (the Records API's page-token reach).
     */
    bulkThreshold: z.number().int().positive().max(100_000).default(50_000),
    /**
     * false: never use Bulk Read (a client without the ZohoCRM.bulk.READ scope); first loads then page
     * through the Records API too, 200 records a call.
     */
    bulkRead: z.boolean().default(true),
    /** Bulk Read job polling: first wait, doubled up to the maximum; a job may take this long. */
    bulkPollMs: z.number().int().positive().default(500),
    bulkPollMaxMs: z.number().int().positive().default(30_000),
    bulkTimeoutMinutes: z.number().int().positive().default(60),
    /** Calls in flight against the org (Zoho allows 5–25 by edition; heavy calls 10). */
    concurrency: z.number().int().positive().max(25).default(5),
    /**
     * Stop (run status partial, exit 3) when Zoho reports fewer API credits left than this
     * (`X-API-CREDITS-REMAINING`), keeping some for the org's other integrations. 0 = run until Zoho refuses.
     */
    creditsReserve: z.number().int().nonnegative().default(0),
    simulator: simulatorOptions.optional(),
  })
  .strict();
export type ZohoSourceConfig = z.output<typeof ZohoSourceSchema>;
