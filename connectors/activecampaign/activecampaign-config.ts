import { z } from 'zod';
import { envVarName, simulatorOptions, sourceName } from '../../core/config-pieces.js';

export const ACTIVECAMPAIGN_STREAMS = [
  'contacts',
  'accounts',
  'deals',
  'users',
  'notes',
  'account_contacts',
] as const;
export type ActiveCampaignStreamName = (typeof ACTIVECAMPAIGN_STREAMS)[number];

export const ActiveCampaignSourceSchema = z
  .object({
    kind: z.literal('activecampaign'),
    name: sourceName.default('activecampaign'),
    /**
     * The account's API URL from Settings → Developer, e.g. `https://<account>.api-us1.com`. Not
     * always api-us1: copy it as shown. `/api/3` is added when missing.
     */
    accountUrl: z.url().optional(),
    /** Environment variable holding the API token (sent as `Api-Token`). */
    apiTokenEnv: envVarName.default('ACTIVECAMPAIGN_API_TOKEN'),
    streams: z
      .array(z.enum(ACTIVECAMPAIGN_STREAMS))
      .nonempty()
      .default([...ACTIVECAMPAIGN_STREAMS]),
    /** First run reads records updated on or after this date (ISO). Omit for everything. */
    startDate: z.iso.datetime({ offset: true }).or(z.iso.date()).nullable().default(null),
    /** Each incremental read starts this far before the cursor (writes committed late). */
    overlapMinutes: z.number().int().nonnegative().default(2),
    /**
     * ActiveCampaign has no deletions feed: contacts and deals are reconciled by an ids-only walk at
     * most once per this many hours (on the first run after each multiple of it, UTC); 0 = every
     * run, null = never (deleted records then stay in the warehouse). Accounts, notes, account–contact
     * links and users are read in full every run, so they are reconciled every run at no extra cost.
     */
    reconcileDeletesEveryHours: z
      .number()
      .nonnegative()
      .max(24 * 366)
      .nullable()
      .default(24),
    simulator: simulatorOptions
      .extend({
        /** Share of the shared people universe the simulated account holds as contacts. */
        share: z.number().positive().max(1).default(0.5),
      })
      .optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.accountUrl === undefined && config.simulator === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['accountUrl'],
        message:
          'required: the account API URL from Settings → Developer (https://<account>.api-us1.com), or a simulator block',
      });
    }
  });
export type ActiveCampaignSourceConfig = z.output<typeof ActiveCampaignSourceSchema>;

/** The v3 API root under the account URL. */
export function apiBase(accountUrl: string): string {
  const trimmed = accountUrl.replace(/\/+$/, '');
  return /\/api\/3$/.test(trimmed) ? `${trimmed}/` : `${trimmed}/api/3/`;
}
