import { z } from 'zod';
import { envVarName, simulatorOptions, sourceName } from '../../core/config-pieces.js';

export const HUBSPOT_STREAMS = [
  'contacts',
  'companies',
  'deals',
  'owners',
  'calls',
  'emails',
  'meetings',
  'notes',
  'tasks',
  'contact_companies',
] as const;
export type HubspotStreamName = (typeof HUBSPOT_STREAMS)[number];

export const HubspotSourceSchema = z
  .object({
    kind: z.literal('hubspot'),
    name: sourceName.default('hubspot'),
    baseUrl: z.url().default('https://api.hubapi.com'),
    /** Environment variable holding a private-app access token. */
    tokenEnv: envVarName,
    streams: z
      .array(z.enum(HUBSPOT_STREAMS))
      .nonempty()
      .default([...HUBSPOT_STREAMS]),
    /** First run reads records modified on or after this date (ISO). Omit for everything. */
    startDate: z.iso.datetime({ offset: true }).or(z.iso.date()).nullable().default(null),
    /** Search-index lag HubSpot documents: each incremental read starts this far before the cursor. */
    overlapMinutes: z.number().int().nonnegative().default(5),
    /** Requests per 10 s burst window (190 on Professional/Enterprise private apps); headers override it. */
    burstLimit: z.number().int().positive().default(190),
    /** Search requests per second (HubSpot: 5). */
    searchPerSecond: z.number().int().positive().default(5),
    /**
     * Deletes: search never returns archived records, so incremental runs list them (`archived=true`,
     * one call per 100 archived records, growing with every record archived in the last 90 days).
     * 0 = on every run (deletes land with the next run); N = on the first run after each multiple of
     * N hours (UTC), deletes then land up to N hours late; null = never (only full refreshes see them).
     */
    archivedSweepEveryHours: z
      .number()
      .nonnegative()
      .max(24 * 366)
      .nullable()
      .default(0),
    /**
     * First loads and full refreshes of contacts, companies and deals holding more live records than
     * this read them through a CRM export (one CSV, no request per 100 records) instead of the list
     * API; null = always the list API. HubSpot allows 30 exports per rolling 24 h and runs one at a
     * time (others queue), so small objects stay on the list API, and a refused or failed export falls
     * back to it.
     */
    exportAbove: z.number().int().nonnegative().nullable().default(200_000),
    /** An export not COMPLETE after this long is given up (the list API reads the stream instead). */
    exportTimeoutMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(60),
    /** Streams extracted at once within the account's budget. */
    concurrency: z.number().int().positive().max(16).default(4),
    simulator: simulatorOptions.optional(),
  })
  .strict();
export type HubspotSourceConfig = z.output<typeof HubspotSourceSchema>;
