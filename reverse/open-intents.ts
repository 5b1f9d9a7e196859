import { z } from 'zod';
import type { Logger } from '../core/logger.js';
import type { Warehouse } from '../load/warehouse.js';
import type { OpenIntent, PushLogRow, PushSql } from './push-sql.js';
import type { PushState } from './push-state.js';

const OpenIntentRow = z.object({
  run_id: z.string(),
  call_id: z.string(),
  record_key: z.string(),
  crm_id: z.string().nullable(),
  value_hash: z.string().nullable(),
  attempt: z.coerce.number(),
  pushed_hash: z.string().nullable(),
});

/**
 * Settles the write intents a stopped run (kill -9, power cut) left without an answer line, before a
 * sync plans anything. An intent whose values tide.pushed already holds was confirmed (the run died
 * between saving the state and the answer line): it is closed as `written`. Any other is closed as
 * `unconfirmed`: the call may or may not have reached the CRM. Those records are planned again like
 * every record whose state did not advance, so a write that is still needed is sent once more — and
 * only those: confirmed writes advanced tide.pushed and are not planned. Returns, per record sent
 * again, the note its new intent line carries, so push_log shows the resend as such.
 */
export async function settleOpenIntents(options: {
  readonly warehouse: Warehouse;
  readonly sql: PushSql;
  readonly state: PushState;
  readonly sync: string;
  readonly vendor: string;
  readonly log: Logger;
}): Promise<ReadonlyMap<string, string>> {
  const statement = options.sql.openIntents(options.sync);
  const open: OpenIntent[] = [];
  for await (const row of options.warehouse.query(statement.sql, statement.params)) {
    const r = OpenIntentRow.parse(row);
    open.push({
      runId: r.run_id,
      callId: r.call_id,
      recordKey: r.record_key,
      crmId: r.crm_id,
      valueHash: r.value_hash,
      attempt: r.attempt,
      pushedHash: r.pushed_hash,
    });
  }
  if (open.length === 0) return new Map();
  const resends = new Map<string, string>();
  let confirmedCount = 0;
  const lines: PushLogRow[] = open.map((intent) => {
    const confirmed = intent.valueHash !== null && intent.pushedHash === intent.valueHash;
    if (confirmed) confirmedCount++;
    else {
      resends.set(
        intent.recordKey,
        `resend: run ${intent.runId} stopped before ${options.vendor} answered call ${intent.callId}`,
      );
    }
    return {
      recordKey: intent.recordKey,
      crmId: intent.crmId,
      status: confirmed ? 'written' : 'unconfirmed',
      reason: confirmed
        ? `confirmed after run ${intent.runId} stopped: tide.pushed holds this write`
        : `run ${intent.runId} stopped before ${options.vendor} answered: the write may or may not have arrived; sent again while the record still differs`,
      attempt: intent.attempt,
      callId: intent.callId,
      valueHash: intent.valueHash,
    };
  });
  await options.state.add([], lines);
  await options.state.flush();
  const runs = [...new Set(open.map((i) => i.runId))].join(', ');
  options.log.warn(
    `${options.sync}: run ${runs} stopped with ${open.length} write intents unanswered; ${confirmedCount} were confirmed by tide.pushed, ${resends.size} records are sent again if still changed (tide.push_log)`,
  );
  return resends;
}
