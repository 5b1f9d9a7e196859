import type { WriteOutcome } from '../core/destination.js';
import type { FieldConflict } from './conflict-rules.js';
import type { ConflictOutcome, ConflictRow } from './conflict-sql.js';
import type { PushedRow, PushLogRow } from './push-sql.js';
import type { PlannedChange, PlannedEmpty, PlannedHold, PlannedRejection } from './sync-planner.js';

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
  conflicts: ConflictRow[] = [],
): void {
  if (outcome.status === 'written') {
    const crmId = outcome.crmId ?? change.previous.crmId;
    pushed.push(writtenRow(change, crmId));
    log.push(logLine(change, 'written', outcome.created ? 'created' : null, crmId, callId));
    conflicts.push(...conflictRows(change.record.key, crmId, change.conflicts ?? [], true));
    return;
  }
  if (outcome.status === 'not-executed') return;
  conflicts.push(...conflictRows(change.record.key, change.previous.crmId, change.conflicts ?? [], false));
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

/**
 * A record whose changed fields are all held back or already agree: its new state (when it moved:
 * an agreed value is adopted, a held one keeps what Tide last pushed), a `skipped` line saying why,
 * and its conflicts.
 */
export function heldRows(item: PlannedHold): [PushedRow[], PushLogRow, ConflictRow[]] {
  const moved = item.hash !== item.previous.hash || item.valuesJson !== item.previous.valuesJson;
  return [
    moved
      ? [
          {
            recordKey: item.key,
            crmId: item.previous.crmId,
            hash: item.hash,
            valuesJson: item.valuesJson,
            failures: 0,
            lastReason: null,
          },
        ]
      : [],
    {
      recordKey: item.key,
      crmId: item.previous.crmId,
      status: 'skipped',
      reason: item.reason,
      attempt: item.attempt,
    },
    conflictRows(item.key, item.previous.crmId, item.conflicts, false),
  ];
}

/** The `tide.push_conflicts` rows of one record, once its write (if any) was answered. */
export function conflictRows(
  key: string,
  crmId: string | null,
  conflicts: readonly FieldConflict[],
  written: boolean,
): ConflictRow[] {
  return conflicts.map((c) => ({
    recordKey: key,
    crmId,
    field: c.field,
    crmValue: JSON.stringify(c.crmValue ?? null),
    pushedValue: JSON.stringify(c.pushedValue),
    newValue: JSON.stringify(c.newValue),
    rule: c.rule,
    outcome: conflictOutcome(c, written),
    seenIn: c.seenIn,
  }));
}

function conflictOutcome(conflict: FieldConflict, written: boolean): ConflictOutcome {
  if (conflict.rule === 'overwrite') return written ? 'overwritten' : 'not-written';
  return conflict.rule === 'keep-crm' ? 'kept' : 'reported';
}
