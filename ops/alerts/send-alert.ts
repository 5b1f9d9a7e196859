import type { Logger } from '../../core/logger.js';
import type { Breach } from '../health/breaches.js';
import type { RunRecord } from '../runs/run-record.js';
import type { AlertsConfig } from './alert-config.js';
import { alertMessage, alertTriggers } from './alert-message.js';
import { postWebhook } from './post-webhook.js';

export interface SendAlertOptions {
  readonly config: AlertsConfig;
  readonly run: RunRecord;
  readonly breaches: readonly Breach[];
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  readonly backoffBaseMs?: number;
}

/**
 * After a run: POSTs an alert when the run failed, ended partial or a metric crossed its threshold
 * (as config `alerts.on` asks). Returns whether one was delivered; never throws.
 */
export async function sendAlert(options: SendAlertOptions): Promise<boolean> {
  const { config, run, breaches, log } = options;
  const triggers = alertTriggers(run, breaches, config.on);
  if (triggers.length === 0) return false;
  const url = options.env[config.webhookUrlEnv];
  if (url === undefined || url.trim() === '') {
    log.warn(`alerts: ${config.webhookUrlEnv} is not set; no alert sent`, { triggers });
    return false;
  }
  try {
    new URL(url);
  } catch {
    log.warn(`alerts: ${config.webhookUrlEnv} does not hold a URL; no alert sent`, { triggers });
    return false;
  }
  return postWebhook({
    url,
    body: alertMessage(run, breaches, triggers),
    attempts: config.attempts,
    timeoutMs: config.timeoutSeconds * 1000,
    log,
    ...(options.backoffBaseMs === undefined ? {} : { backoffBaseMs: options.backoffBaseMs }),
  });
}
