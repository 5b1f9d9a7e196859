import { z } from 'zod';
import { envVarName, simulatorOptions, sourceName } from '../../core/config-pieces.js';

/** Streams are named by their Web API entity set; each reads one Dataverse table. */
export const DYNAMICS_TABLES = {
  contacts: 'contact',
  accounts: 'account',
  leads: 'lead',
  opportunities: 'opportunity',
  systemusers: 'systemuser',
  phonecalls: 'phonecall',
  emails: 'email',
  tasks: 'task',
  appointments: 'appointment',
} as const;
export type DynamicsStreamName = keyof typeof DYNAMICS_TABLES;
export const DYNAMICS_STREAMS = Object.keys(DYNAMICS_TABLES) as [DynamicsStreamName, ...DynamicsStreamName[]];

export const DynamicsSourceSchema = z
  .object({
    kind: z.literal('dynamics'),
    name: sourceName.default('dynamics'),
    /**
     * The environment URL (Power Apps → Settings → Session details, or Developer resources), e.g.
     * `https://contoso.crm.dynamics.com`; the Web API is `<environmentUrl>/api/data/v9.2/`.
     */
    environmentUrl: z.url(),
    /** The Microsoft Entra tenant (directory) id or its domain (`contoso.onmicrosoft.com`). */
    tenantId: z.string().trim().min(1, 'the Entra tenant id of the app registration'),
    /** Where tokens come from; other clouds (GCC High, China) have their own. */
    authorityUrl: z.url().default('https://login.microsoftonline.com'),
    /** Environment variables holding the app registration's client (application) id and secret. */
    clientIdEnv: envVarName,
    clientSecretEnv: envVarName,
    apiVersion: z
      .string()
      .regex(/^9\.[0-2]$/, 'a Web API version such as "9.2"')
      .default('9.2'),
    streams: z
      .array(z.enum(DYNAMICS_STREAMS))
      .nonempty()
      .default([...DYNAMICS_STREAMS]),
    /** First run reads records modified on or after this date (ISO). Omit for everything. */
    startDate: z.iso.datetime({ offset: true }).or(z.iso.date()).nullable().default(null),
    /**
     * `auto`: tables with change tracking enabled are read through delta links (deletes included);
     * the others by modifiedon windows. `off`: modifiedon windows everywhere.
     */
    changeTracking: z.enum(['auto', 'off']).default('auto'),
    /** modifiedon windows start this far before the cursor (a transaction can commit late). */
    overlapMinutes: z.number().int().nonnegative().default(5),
    /**
     * Tables read by modifiedon windows never show deletes: every N days (counted from the epoch)
     * the first run re-reads them in full and marks rows that are gone as deleted.
     */
    reconcileEveryDays: z.number().int().positive().default(7),
    /** Rows per page (`Prefer: odata.maxpagesize`); Dataverse's maximum is 5,000. */
    pageSize: z.number().int().positive().max(5000).default(5000),
    /** Requests in flight for the application user (Dataverse refuses more than 52). */
    concurrency: z.number().int().positive().max(52).default(8),
    /** Requests per 300-second window Tide allows itself (Dataverse's service protection: 6,000). */
    requestsPerWindow: z.number().int().positive().max(6000).default(6000),
    /**
     * A 429 whose Retry-After is longer than this is not a burst to wait out (sustained throttling or
     * the daily entitlement): the run stops as partial (exit 3) with every cursor where its data is.
     */
    maxRetryAfterSeconds: z.number().int().positive().default(300),
    /**
     * How reverse ETL sends a batch of up to 100 updates: one `$batch` request with
     * continue-on-error, or one PATCH per record, `writeConcurrency` at a time (BENCHMARKS.md).
     */
    writeMode: z.enum(['batch', 'parallel']).default('batch'),
    writeConcurrency: z.number().int().positive().max(52).default(16),
    simulator: simulatorOptions.optional(),
  })
  .strict();
export type DynamicsSourceConfig = z.output<typeof DynamicsSourceSchema>;
