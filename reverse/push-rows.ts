import type { WriteOutcome } from '../core/destination.js';
import type { PushedRow, PushLogRow } from './push-sql.js';
import type { PlannedChange, PlannedEmpty, PlannedRejection } from './sync-planner.js';

/**
 * The rows a push writes for each record: its `tide.pushed` state and its `tide.push_log` lines
 * (reverse/sync-pusher.ts decides when; this file only says what they hold).
 */

export function recordOutcome(
  outcome: WriteOutcome,
  change: PlannedChange,
  pushed: PushedRow[],
  log: PushLogRow[],
  callId: string | null,
): void {
  if (outcome.status === 'written') {
    const crmId = outcome.crmId ?? change.previous.crmId;
    pushed.push(writtenRow(change, crmId));
    log.push(logLine(change, 'written', outcome.created ? 'created' : null, crmId, callId));
    return;
  }
  if (outcome.status === 'not-executed') return;
  pushed.push({
    recordKey: change.record.key,
    crmId: change.previous.crmId,
    hash: change.previous.hash,
    valuesJson: change.previous.valuesJson,
    failures: change.previous.failures + 1,
    lastReason: outcome.reason,
  });
  log.push(logLine(change, 'rejected', outcome.reason, change.previous.crmId, callId));
}

export function writtenRow(change: PlannedChange, crmId: string | null): PushedRow {
  return {
    recordKey: change.record.key,
    crmId,
    hash: change.hash,
    valuesJson: change.valuesJson,
    failures: 0,
    lastReason: null,
  };
}

export function logLine(
  change: PlannedChange,
  status: PushLogRow['status'],
  reason: string | null,
  crmId: string | null,
  callId: string | null,
): PushLogRow {
  return {
    recordKey: change.record.key,
    crmId,
    status,
    reason,
    attempt: change.attempt,
    callId,
    valueHash: callId === null ? null : change.hash,
  };
}

export function invalidRows(item: PlannedRejection): [PushedRow, PushLogRow] {
  return [
    {
      recordKey: item.key,
      crmId: item.previous.crmId,
      hash: item.previous.hash,
      valuesJson: item.previous.valuesJson,
      failures: item.previous.failures + 1,
      lastReason: item.reason,
    },
    {
      recordKey: item.key,
      crmId: item.previous.crmId,
      status: 'rejected',
      reason: item.reason,
      attempt: item.attempt,
    },
  ];
}

export function emptyRows(item: PlannedEmpty): [PushedRow, PushLogRow] {
  return [
    {
      recordKey: item.key,
      crmId: item.previous.crmId,
      hash: item.hash,
      valuesJson: item.valuesJson,
      failures: 0,
      lastReason: null,
    },
    {
      recordKey: item.key,
      crmId: item.previous.crmId,
      status: 'skipped',
      reason: 'every mapped value is NULL (nulls: skip): nothing to write',
      attempt: item.attempt,
    },
  ];
}
