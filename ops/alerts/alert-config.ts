import { z } from 'zod';
import { envVarName } from '../../core/config-pieces.js';

/** What may trigger an alert: a run that failed, one that ended partial, a metric crossing its threshold. */
export const ALERT_TRIGGERS = ['failed', 'partial', 'breach'] as const;
export type AlertTrigger = (typeof ALERT_TRIGGERS)[number];

/**
 * config `alerts`: where to POST when a run needs attention. The webhook URL is a secret (a Slack
 * incoming-webhook URL is its own credential), so the config names the environment variable that
 * holds it, and Tide never logs it.
 */
export const AlertsConfigSchema = z
  .object({
    webhookUrlEnv: envVarName,
    on: z
      .array(z.enum(ALERT_TRIGGERS))
      .min(1)
      .default([...ALERT_TRIGGERS]),
    /** Per attempt. */
    timeoutSeconds: z.number().positive().max(120).default(10),
    /** Tries in all, with exponential backoff between them (network errors, 429 and 5xx retry). */
    attempts: z.number().int().min(1).max(10).default(4),
  })
  .strict();
export type AlertsConfig = z.output<typeof AlertsConfigSchema>;
