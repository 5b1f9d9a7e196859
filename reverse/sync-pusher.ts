import { randomUUID } from 'node:crypto';
import {
  type CanonicalValue,
  type Destination,
  isEmptyCrmValue,
  type WriteOutcome,
  type WriteRecord,
  type WriteTarget,
} from '../core/destination.js';
import type { Logger } from '../core/logger.js';
import { isTideError, TideError } from '../core/tide-error.js';
import type { ConflictRow } from './conflict-sql.js';
import { type IsolationStats, isolatingWrite, type WriteCall } from './isolating-write.js';
import { emptyRows, heldRows, invalidRows, logLine, recordOutcome, writtenRow } from './push-rows.js';
import type { PushedRow, PushLogRow } from './push-sql.js';
import type { PushState } from './push-state.js';
import type { SyncConfig } from './sync-config.js';
import type { PlanItem, PlannedChange } from './sync-planner.js';

export interface PushCounts {
  written: number;
  /** Of `written`, records the CRM created (upsert). */
  created: number;
  skipped: number;
  /** Rejected before sending (validation). */
  invalid: number;
  /** Rejected by the CRM. */
  rejected: number;
  /** Write calls, splits included. */
  writeCalls: number;
  /** Read calls for fill-empty. */
  readCalls: number;
  /** Changed records not sent: every changed field held back by its conflict rule, or already equal. */
  held: number;
  /** Conflicting fields whose CRM edit Tide's confirmed write replaced (rule `overwrite`). */
  overwritten: number;
}

export interface PushResult {
  readonly counts: PushCounts;
  /** Why the sync stopped early (credentials, quota, retries exhausted, abort); null when it finished. */
  readonly error: TideError | null;
  /** The first few rejections, for the summary (all of them are in tide.push_log). */
  readonly sampleRejections: readonly { readonly key: string | null; readonly reason: string }[];
}

export interface PushOptions {
  readonly sync: SyncConfig;
  readonly destination: Destination;
  readonly target: WriteTarget;
  readonly state: PushState;
  readonly log: Logger;
  /** Write calls in flight (the account's rate budget paces them further). */
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  /** Called after each batch with the number of records it settled. */
  readonly onProgress?: (records: number) => void;
  /**
   * Records whose last write a stopped run never saw answered (reverse/open-intents.ts): their
   * intent lines say they are a resend, and why.
   */
  readonly resends?: ReadonlyMap<string, string>;
}

const LOGGED_REJECTIONS = 20;
const SAMPLE_REJECTIONS = 5;

/**
 * Sends a sync's planned changes: batches of `batchSize`, a bounded number in flight, each batch
 * split on refusal until bad records are isolated. Before every write call its intent (one `sending`
 * line per record: key, value hash, attempt, call id) is committed to `tide.push_log`; after the
 * CRM's answer, each record's outcome goes to `tide.pushed` (confirmed writes only advance it) and
 * `tide.push_log` (with the CRM's reason). So no write reaches a CRM without a line saying so, and a
 * run killed mid-call leaves an open intent for the next run to settle. A terminal error stops new
 * batches, lets the ones in flight settle and is returned, not thrown, so the caller can still report
 * what was confirmed.
 */
export async function pushPlan(items: AsyncIterable<PlanItem>, options: PushOptions): Promise<PushResult> {
  const counts: PushCounts = {
    written: 0,
    created: 0,
    skipped: 0,
    invalid: 0,
    rejected: 0,
    writeCalls: 0,
    readCalls: 0,
    held: 0,
    overwritten: 0,
  };
  const samples: { key: string | null; reason: string }[] = [];
  let logged = 0;
  let error: TideError | null = null;
  const inFlight = new Set<Promise<void>>();
  const { sync, state, signal } = options;

  const noteRejection = (key: string | null, reason: string, byCrm: boolean): void => {
    if (samples.length < SAMPLE_REJECTIONS) samples.push({ key, reason });
    if (!byCrm) return;
    if (logged < LOGGED_REJECTIONS) options.log.warn(`${sync.name}: ${key} rejected by the CRM: ${reason}`);
    else if (logged === LOGGED_REJECTIONS) options.log.warn(`${sync.name}: more rejections in tide.push_log`);
    logged++;
  };

  const settle = async (work: () => Promise<number>): Promise<void> => {
    try {
      // Not `onProgress?.(await work())`: an optional call skips evaluating its arguments.
      const settled = await work();
      options.onProgress?.(settled);
    } catch (e) {
      error ??= asTideError(e, sync.name);
    }
  };
  // Saves run behind the CRM calls (a slot is free once the CRM answered), but no more batches may
  // wait for their save than calls may be in flight: that bounds what a crash can make us resend.
  const saves = new Set<Promise<void>>();
  const save = (
    pushed: readonly PushedRow[],
    log: readonly PushLogRow[],
    conflicts: readonly ConflictRow[] = [],
  ): void => {
    const task: Promise<void> = state
      .add(pushed, log, conflicts)
      .catch((e: unknown) => {
        error ??= asTideError(e, sync.name);
      })
      .finally(() => saves.delete(task));
    saves.add(task);
  };
  // An intent must be in the warehouse before its call goes out: awaited, never fire-and-forget.
  const intend = (lines: readonly PushLogRow[]): Promise<void> => state.intend(lines);
  const dispatch = async (work: () => Promise<number>): Promise<void> => {
    const task = settle(work).finally(() => inFlight.delete(task));
    inFlight.add(task);
    while (inFlight.size >= options.concurrency || saves.size >= options.concurrency) {
      await Promise.race([...inFlight, ...saves]);
    }
  };

  let batch: PlannedChange[] = [];
  let local: PushedRow[] = [];
  let localLog: PushLogRow[] = [];
  let localConflicts: ConflictRow[] = [];
  try {
    for await (const item of items) {
      if (error !== null) break;
      if (signal?.aborted) {
        error = asTideError(signal.reason, sync.name);
        break;
      }
      if (item.kind === 'change') {
        batch.push(item);
        if (batch.length >= sync.batchSize) {
          const full = batch;
          batch = [];
          await dispatch(() => sendBatch(full, options, counts, noteRejection, save, intend));
        }
        continue;
      }
      if (item.kind === 'held') {
        const [rows, line, conflicts] = heldRows(item);
        counts.held++;
        local.push(...rows);
        localLog.push(line);
        localConflicts.push(...conflicts);
      } else {
        const [row, line] = item.kind === 'invalid' ? invalidRows(item) : emptyRows(item);
        if (item.kind === 'invalid') {
          counts.invalid++;
          noteRejection(item.key, item.reason, false);
        } else counts.skipped++;
        local.push(row);
        localLog.push(line);
      }
      if (localLog.length >= sync.batchSize) {
        const [rows, lines, conflicts] = [local, localLog, localConflicts];
        [local, localLog, localConflicts] = [[], [], []];
        save(rows, lines, conflicts);
        options.onProgress?.(lines.length);
      }
    }
  } catch (e) {
    // The plan query itself failed (warehouse error): stop like any other terminal error.
    error ??= asTideError(e, sync.name);
  }
  if (error === null && batch.length > 0) {
    const last = batch;
    await dispatch(() => sendBatch(last, options, counts, noteRejection, save, intend));
  }
  await Promise.all(inFlight);
  await Promise.all(saves);
  try {
    if (localLog.length > 0) await state.add(local, localLog, localConflicts);
    await state.close();
  } catch (e) {
    error ??= asTideError(e, sync.name);
  }
  return { counts, error, sampleRejections: samples };
}

async function sendBatch(
  batch: readonly PlannedChange[],
  options: PushOptions,
  counts: PushCounts,
  noteRejection: (key: string | null, reason: string, byCrm: boolean) => void,
  save: (
    pushed: readonly PushedRow[],
    log: readonly PushLogRow[],
    conflicts?: readonly ConflictRow[],
  ) => void,
  intend: (lines: readonly PushLogRow[]) => Promise<void>,
): Promise<number> {
  const { destination, target, sync, signal } = options;
  const byKey = new Map(batch.map((c) => [c.record.key, c]));
  const pushed: PushedRow[] = [];
  const log: PushLogRow[] = [];
  const conflicts: ConflictRow[] = [];
  let toWrite: WriteRecord[] = batch.map((c) => c.record);

  if (sync.mode === 'fill-empty') {
    counts.readCalls++;
    const current = await destination.readCurrent(target, toWrite, signal);
    const kept: WriteRecord[] = [];
    for (const change of batch) {
      const values = current.get(change.record.key);
      if (values === undefined) {
        const reason = `no ${target.object} record matches ${sync.match.by} ${JSON.stringify(change.record.matchValue)}`;
        recordOutcome({ status: 'rejected', key: change.record.key, reason }, change, pushed, log, null);
        counts.rejected++;
        noteRejection(change.record.key, reason, true);
        continue;
      }
      const empty: Record<string, CanonicalValue> = {};
      for (const [field, value] of Object.entries(change.record.values)) {
        if (isEmptyCrmValue(values[field])) empty[field] = value;
      }
      if (Object.keys(empty).length === 0) {
        // Nothing empty to fill: these values are settled, so the fingerprint advances.
        pushed.push(writtenRow(change, change.previous.crmId));
        log.push(logLine(change, 'skipped', 'every mapped field already has a value in the CRM', null, null));
        counts.skipped++;
        continue;
      }
      kept.push({ ...change.record, values: empty });
    }
    toWrite = kept;
  }

  // One write call: its intent committed first, then each record's answer logged with the same id.
  // Records the call answered for good (written or rejected) are settled here; the others (refused
  // with their group, or not tried) are logged `not-executed` and left to the isolation below.
  const settled = new Set<string>();
  const lastCall = new Map<string, string>();
  const call: WriteCall = async (records) => {
    const callId = randomUUID();
    await intend(
      records.map((r) => {
        const change = byKey.get(r.key)!;
        lastCall.set(r.key, callId);
        return logLine(change, 'sending', options.resends?.get(r.key) ?? null, change.previous.crmId, callId);
      }),
    );
    let answers: readonly WriteOutcome[];
    try {
      answers = await destination.write(target, records, signal);
    } catch (error) {
      // No answer: whether the CRM applied the call is unknown. Closed here, sent again next run.
      const reason = `no answer (${error instanceof Error ? error.message : String(error)}): sent again next run`;
      save(
        [],
        records.map((r) =>
          logLine(byKey.get(r.key)!, 'unconfirmed', reason, byKey.get(r.key)!.previous.crmId, callId),
        ),
      );
      throw error;
    }
    const callPushed: PushedRow[] = [];
    const callLog: PushLogRow[] = [];
    const callConflicts: ConflictRow[] = [];
    const byAnswer = new Map<string, WriteOutcome>();
    for (const answer of answers) if (!byAnswer.has(answer.key)) byAnswer.set(answer.key, answer);
    for (const record of records) {
      const change = byKey.get(record.key)!;
      const answer = byAnswer.get(record.key);
      if (answer === undefined || answer.status === 'not-executed') {
        const reason = answer?.reason ?? 'the CRM returned no result for this record';
        callLog.push(logLine(change, 'not-executed', reason, change.previous.crmId, callId));
        continue;
      }
      settled.add(record.key);
      recordOutcome(answer, change, callPushed, callLog, callId, callConflicts);
      tally(answer, change, counts, noteRejection);
    }
    save(callPushed, callLog, callConflicts);
    return answers;
  };

  const stats: IsolationStats = { calls: 0 };
  let fatal: TideError | null = null;
  try {
    const outcomes = await isolatingWrite(call, toWrite, stats);
    for (const outcome of outcomes) {
      const change = byKey.get(outcome.key);
      if (change === undefined || settled.has(outcome.key)) continue;
      if (outcome.status === 'not-executed') {
        // Not tried: not pushed, not a rejection; the next run plans it again.
        fatal ??= outcome.fatal ?? null;
        continue;
      }
      // Rejected by the isolation itself: even alone, the CRM gave no result for this record.
      recordOutcome(outcome, change, pushed, log, lastCall.get(outcome.key) ?? null, conflicts);
      tally(outcome, change, counts, noteRejection);
    }
  } finally {
    counts.writeCalls += stats.calls;
  }
  save(pushed, log, conflicts);
  if (fatal !== null) throw fatal;
  return batch.length;
}

function tally(
  outcome: WriteOutcome,
  change: PlannedChange,
  counts: PushCounts,
  noteRejection: (key: string | null, reason: string, byCrm: boolean) => void,
): void {
  if (outcome.status === 'written') {
    counts.written++;
    if (outcome.created) counts.created++;
    counts.overwritten += (change.conflicts ?? []).filter((c) => c.rule === 'overwrite').length;
  } else if (outcome.status === 'rejected') {
    counts.rejected++;
    noteRejection(outcome.key, outcome.reason, true);
  }
}

function asTideError(e: unknown, sync: string): TideError {
  if (isTideError(e)) return e;
  if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError')) {
    return new TideError('reverse_error', `${sync}: stopped (${e.message})`, { cause: e });
  }
  return new TideError('reverse_error', `${sync}: ${e instanceof Error ? e.message : String(e)}`, {
    cause: e,
  });
}
