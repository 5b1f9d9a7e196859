import type { CanonicalValue, CrmField, Destination, WriteTarget } from '../core/destination.js';
import type { Logger } from '../core/logger.js';
import { endsAsPartial, isTideError, TideError } from '../core/tide-error.js';
import type { Warehouse } from '../load/warehouse.js';
import { checkColumns } from './column-check.js';
import { ConflictResolver, type ConflictSample, type ConflictStats } from './conflict-resolver.js';
import type { RawCurrentJoin } from './conflict-sql.js';
import { checkFields } from './field-check.js';
import { settleOpenIntents } from './open-intents.js';
import type { PushSql } from './push-sql.js';
import { PushState } from './push-state.js';
import { type RawTable, rawCurrentJoin } from './raw-current.js';
import type { SyncConfig } from './sync-config.js';
import { diffValues, type PlanItem, type PlanStats, SyncPlanner } from './sync-planner.js';
import { type PushCounts, pushPlan } from './sync-pusher.js';

export interface SyncRunOptions {
  readonly sync: SyncConfig;
  readonly destination: Destination;
  readonly warehouse: Warehouse;
  readonly sql: PushSql;
  readonly runId: string;
  readonly log: Logger;
  /** Plan and print, write nothing (no CRM write, no system-table row). */
  readonly dryRun: boolean;
  readonly flushEvery: number;
  readonly signal?: AbortSignal;
  /** Field-level diffs kept for the dry-run report. */
  readonly sampleSize?: number;
  readonly onProgress?: (records: number) => void;
  /**
   * The raw table this run's extract completed for the sync's object, if any: conflicts are then
   * found in it; otherwise (and for records it cannot vouch for) the CRM is read back.
   */
  readonly rawTable?: RawTable | null;
}

/** What conflict detection found in one sync (reverse/conflict-resolver.ts). */
export interface ConflictReport {
  readonly stats: ConflictStats;
  /** The raw table CRM values were compared from; null when every check read the CRM back. */
  readonly rawTable: string | null;
  /** The first few conflicts (all of them are in tide.push_conflicts after a real run). */
  readonly samples: readonly ConflictSample[];
}

export interface DiffSample {
  readonly key: string;
  readonly diffs: readonly {
    readonly field: string;
    readonly before: unknown;
    readonly after: CanonicalValue;
  }[];
}

export interface SyncReport {
  readonly sync: string;
  readonly crm: string;
  readonly object: string;
  /**
   * check-failed = the field/column check failed, nothing was planned; partial = stopped for now
   * (quota, or the run's rate-limit wait budget): what was confirmed is kept, the rest goes next run.
   */
  readonly status: 'ok' | 'dry-run' | 'check-failed' | 'partial' | 'failed';
  readonly problems: readonly string[];
  readonly plan: PlanStats | null;
  readonly counts: PushCounts | null;
  readonly samples: readonly DiffSample[];
  /** Null when nothing was planned (check failed) or the mode has no conflicts (fill-empty). */
  readonly conflicts: ConflictReport | null;
  readonly rejections: readonly { readonly key: string | null; readonly reason: string }[];
  /** Rejected (invalid + by CRM) / records attempted. */
  readonly rejectRate: number;
  readonly rejectRateExceeded: boolean;
  /** Dry run: write calls the plan would need (fill-empty reads and splits not included). */
  readonly estimatedCalls: number | null;
  /**
   * Every HTTP request the sync made to its CRM (field reads, lookups, each write including
   * per-record ones, retries), when the runner counted them (run-reverse.ts `requestsTo`).
   */
  readonly requests?: number;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly seconds: number;
}

/** The CRM-side checks of a sync: fields exist and are writable (what `tide doctor` runs too). */
export async function checkSyncFields(
  sync: SyncConfig,
  destination: Destination,
  signal?: AbortSignal,
): Promise<{ problems: string[]; fields: ReadonlyMap<string, CrmField>; matchField: CrmField | null }> {
  let available: readonly CrmField[];
  try {
    available = await destination.fields(sync.to.object, signal);
  } catch (error) {
    const message = isTideError(error) ? error.message : String(error);
    return {
      problems: [
        `sync "${sync.name}": cannot read ${destination.vendor} ${sync.to.object} fields: ${message}`,
      ],
      fields: new Map(),
      matchField: null,
    };
  }
  const check = checkFields(sync, destination.vendor, available, destination.capabilities.emailField);
  return { problems: [...check.problems], fields: check.fields, matchField: check.matchField };
}

/**
 * One sync, end to end: check the mapped fields against the CRM and the columns against the
 * warehouse, plan (rows vs `tide.pushed`), then either report the plan (dry run) or push it.
 */
export async function runSync(options: SyncRunOptions): Promise<SyncReport> {
  const started = Date.now();
  const { sync, destination, warehouse, sql } = options;
  const base = { sync: sync.name, crm: sync.to.crm, object: sync.to.object };
  const finish = (
    rest: Omit<
      SyncReport,
      'sync' | 'crm' | 'object' | 'seconds' | 'rejectRate' | 'rejectRateExceeded' | 'estimatedCalls'
    >,
  ): SyncReport => {
    const planned =
      rest.plan === null ? 0 : rest.plan.changedNew + rest.plan.changedUpdated + rest.plan.invalid;
    const attempted =
      rest.status === 'dry-run'
        ? planned
        : (rest.counts?.written ?? 0) + (rest.counts?.rejected ?? 0) + (rest.counts?.invalid ?? 0);
    const rejected = (rest.counts?.rejected ?? 0) + (rest.counts?.invalid ?? 0);
    const rejectRate = attempted === 0 ? 0 : rejected / attempted;
    const perCall = Math.max(1, Math.min(sync.batchSize, destination.maxBatchSize));
    const changed =
      rest.plan === null
        ? 0
        : rest.plan.changedNew + rest.plan.changedUpdated - (rest.conflicts?.stats.held ?? 0);
    return {
      ...base,
      ...rest,
      estimatedCalls: rest.status === 'dry-run' ? Math.ceil(changed / perCall) : null,
      rejectRate,
      rejectRateExceeded: rejectRate > sync.maxRejectRate,
      seconds: (Date.now() - started) / 1000,
    };
  };
  const empty = { plan: null, counts: null, samples: [], conflicts: null, rejections: [], error: null };

  const fieldCheck = await checkSyncFields(sync, destination, options.signal);
  const problems = [...fieldCheck.problems, ...(await checkColumns(warehouse, sql, sync))];
  if (problems.length > 0) return finish({ ...empty, status: 'check-failed', problems });

  const target: WriteTarget = {
    object: sync.to.object,
    match: sync.match,
    matchField: fieldCheck.matchField,
    operation: sync.mode === 'upsert' ? 'upsert' : 'update',
    fields: new Map([...fieldCheck.fields.values()].map((f) => [f.name, f])),
  };
  const planner = new SyncPlanner({ sync, fields: fieldCheck.fields, matchField: fieldCheck.matchField });
  const state = new PushState({
    warehouse,
    sql,
    sync: sync.name,
    runId: options.runId,
    flushEvery: options.flushEvery,
  });
  let resends: ReadonlyMap<string, string> = new Map();
  if (!options.dryRun) {
    await PushState.prepare(warehouse, sql);
    // Before planning: a killed run's unanswered writes are settled, so confirmed ones are not resent.
    resends = await settleOpenIntents({
      warehouse,
      sql,
      state,
      sync: sync.name,
      vendor: destination.vendor,
      log: options.log,
    });
  }
  const withState = options.dryRun ? await succeeds(warehouse, sql.stateProbe()) : true;
  const raw =
    options.rawTable && sync.mode !== 'fill-empty'
      ? rawCurrentJoin(sync, options.rawTable, fieldCheck.fields, fieldCheck.matchField)
      : null;
  const resolver = new ConflictResolver({
    sync,
    fields: fieldCheck.fields,
    destination,
    target,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const items = resolver.resolve(planner.plan(warehouse.query(sql.planQuery(sync, withState, raw))));
  const conflictReport = (): ConflictReport | null =>
    sync.mode === 'fill-empty' ? null : conflictsOf(resolver, raw);

  if (options.dryRun) {
    try {
      const { samples, rejections } = await sampleDryRun(items, options.sampleSize ?? 5);
      const counts = dryRunCounts(planner.stats, resolver.stats);
      return finish({
        ...empty,
        status: 'dry-run',
        problems,
        plan: planner.stats,
        counts,
        samples,
        conflicts: conflictReport(),
        rejections,
      });
    } catch (error) {
      return finish({
        ...empty,
        status: 'failed',
        problems,
        plan: planner.stats,
        conflicts: conflictReport(),
        error: describe(error),
      });
    }
  }

  const result = await pushPlan(items, {
    sync,
    destination,
    target,
    state,
    log: options.log,
    concurrency: sync.concurrency ?? destination.defaultConcurrency,
    resends,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return finish({
    status: result.error === null ? 'ok' : endsAsPartial(result.error) ? 'partial' : 'failed',
    problems,
    plan: planner.stats,
    counts: { ...result.counts, readCalls: result.counts.readCalls + resolver.stats.readCalls },
    samples: [],
    conflicts: conflictReport(),
    rejections: result.sampleRejections,
    error: result.error === null ? null : describe(result.error),
  });
}

async function sampleDryRun(
  items: AsyncIterable<PlanItem>,
  size: number,
): Promise<{ samples: DiffSample[]; rejections: { key: string | null; reason: string }[] }> {
  const samples: DiffSample[] = [];
  const rejections: { key: string | null; reason: string }[] = [];
  for await (const item of items) {
    if (item.kind === 'change' && samples.length < size) {
      samples.push({ key: item.record.key, diffs: diffValues(item.previous.valuesJson, item.record.values) });
    } else if (item.kind === 'invalid' && rejections.length < size) {
      rejections.push({ key: item.key, reason: item.reason });
    }
  }
  return { samples, rejections };
}

/**
 * What a dry run would do, in push counts: nothing written, invalid rows counted as rejected, the
 * records conflicts leave with nothing to send counted as held; its read calls (conflict checks) ran.
 */
function dryRunCounts(plan: PlanStats, conflicts: ConflictStats): PushCounts {
  return {
    written: 0,
    created: 0,
    skipped: 0,
    invalid: plan.invalid,
    rejected: 0,
    writeCalls: 0,
    readCalls: conflicts.readCalls,
    held: conflicts.held,
    overwritten: 0,
  };
}

function conflictsOf(resolver: ConflictResolver, raw: RawCurrentJoin | null): ConflictReport {
  return { stats: { ...resolver.stats }, rawTable: raw?.relation ?? null, samples: [...resolver.samples] };
}

async function succeeds(warehouse: Warehouse, statement: string): Promise<boolean> {
  try {
    for await (const _ of warehouse.query(statement)) {
      // no rows: only whether it runs matters
    }
    return true;
  } catch {
    return false;
  }
}

function describe(error: unknown): { code: string; message: string } {
  if (isTideError(error)) return { code: error.code, message: error.message };
  const wrapped = new TideError('reverse_error', error instanceof Error ? error.message : String(error));
  return { code: wrapped.code, message: wrapped.message };
}
