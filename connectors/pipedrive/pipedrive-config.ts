import { z } from 'zod';
import { envVarName, simulatorOptions, sourceName } from '../../core/config-pieces.js';

export const PIPEDRIVE_STREAMS = [
  'persons',
  'organizations',
  'deals',
  'activities',
  'leads',
  'users',
] as const;
export type PipedriveStreamName = (typeof PIPEDRIVE_STREAMS)[number];

export const PipedriveSourceSchema = z
  .object({
    kind: z.literal('pipedrive'),
    name: sourceName.default('pipedrive'),
    /** `https://api.pipedrive.com` or the company domain `https://<company>.pipedrive.com`. */
    baseUrl: z.url().default('https://api.pipedrive.com'),
    /** Environment variable holding a personal API token (sent as `x-api-token`). */
    apiTokenEnv: envVarName.optional(),
    /** Environment variable holding an OAuth access token (sent as `Authorization: Bearer`). */
    oauthTokenEnv: envVarName.optional(),
    streams: z
      .array(z.enum(PIPEDRIVE_STREAMS))
      .nonempty()
      .default([...PIPEDRIVE_STREAMS]),
    /** First run reads records updated on or after this date (ISO). Omit for everything. */
    startDate: z.iso.datetime({ offset: true }).or(z.iso.date()).nullable().default(null),
    /** Each incremental read starts this far before the cursor (writes committed late). */
    overlapMinutes: z.number().int().nonnegative().default(1),
    /** Streams extracted at once, all within the account's one burst window. */
    concurrency: z.number().int().positive().max(16).default(3),
    simulator: simulatorOptions.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const given = [config.apiTokenEnv, config.oauthTokenEnv].filter((v) => v !== undefined).length;
    if (given !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['apiTokenEnv'],
        message:
          given === 0
            ? 'required: apiTokenEnv (API token) or oauthTokenEnv (OAuth access token), naming an environment variable'
            : 'give either apiTokenEnv or oauthTokenEnv, not both',
      });
  });
export type PipedriveSourceConfig = z.output<typeof PipedriveSourceSchema>;
