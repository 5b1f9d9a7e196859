import type { Breach } from '../health/breaches.js';
import { formatMetric, METRICS } from '../health/thresholds.js';
import { type RunRecord, totalsOf } from '../runs/run-record.js';
import type { AlertTrigger } from './alert-config.js';

/** The JSON body POSTed: Slack's `text` for people, the same facts structured under `tide` for machines. */
export interface AlertMessage {
  readonly text: string;
  readonly tide: {
    readonly triggers: readonly AlertTrigger[];
    readonly runId: string;
    readonly command: string;
    readonly status: string;
    readonly exitCode: number | null;
    readonly startedAt: string;
    readonly finishedAt: string | null;
    readonly durationSeconds: number | null;
    readonly totals: ReturnType<typeof totalsOf> | null;
    readonly errors: readonly string[];
    readonly breaches: readonly {
      readonly metric: string;
      readonly key: string;
      readonly value: number;
      readonly threshold: number;
      readonly healthy: 'below' | 'above';
      readonly crossed: boolean;
    }[];
  };
}

const MAX_TEXT_LINES = 12;

/** Why this run alerts (empty: it does not), given what the config asks to hear about. */
export function alertTriggers(
  run: RunRecord,
  breaches: readonly Breach[],
  on: readonly AlertTrigger[],
): AlertTrigger[] {
  const out: AlertTrigger[] = [];
  if (on.includes('failed') && run.status === 'failed') out.push('failed');
  if (on.includes('partial') && run.status === 'partial') out.push('partial');
  if (on.includes('breach') && breaches.some((b) => b.crossed)) out.push('breach');
  return out;
}

/** The message for a run; breaches listed are those that crossed in this run. */
export function alertMessage(
  run: RunRecord,
  breaches: readonly Breach[],
  triggers: readonly AlertTrigger[],
): AlertMessage {
  const crossed = breaches.filter((b) => b.crossed);
  const errors = (run.errorSummary ?? '').split('\n').filter((l) => l !== '');
  const seconds =
    run.finishedAt === null
      ? null
      : Math.round((run.finishedAt.getTime() - run.startedAt.getTime()) / 100) / 10;
  const head =
    run.status === 'success'
      ? `Tide: ${crossed.length} health metric(s) crossed their threshold in run ${run.runId} (tide ${run.command})`
      : `Tide run ${run.runId} (tide ${run.command}) ${run.status.toUpperCase()}, exit ${run.exitCode ?? '?'}${seconds === null ? '' : ` after ${seconds}s`}`;
  const lines = [
    ...errors.map((e) => `• ${e}`),
    ...crossed.map(
      (b) =>
        `• ${METRICS[b.metric].label} of ${b.key}: ${formatMetric(b.metric, b.value)} (threshold ${METRICS[b.metric].healthy === 'below' ? '≤' : '≥'} ${formatMetric(b.metric, b.threshold)})`,
    ),
  ];
  const shown = lines.slice(0, MAX_TEXT_LINES);
  if (lines.length > shown.length)
    shown.push(`• … ${lines.length - shown.length} more (tide.runs, tide report)`);
  return {
    text: [head, ...shown].join('\n'),
    tide: {
      triggers,
      runId: run.runId,
      command: run.command,
      status: run.status,
      exitCode: run.exitCode,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      durationSeconds: seconds,
      totals: run.counts === null ? null : totalsOf(run.counts),
      errors,
      breaches: crossed.map((b) => ({
        metric: b.metric,
        key: b.key,
        value: b.value,
        threshold: b.threshold,
        healthy: METRICS[b.metric].healthy,
        crossed: b.crossed,
      })),
    },
  };
}
