import type {
  CanonicalValue,
  CrmField,
  CurrentValues,
  Destination,
  WriteTarget,
} from '../core/destination.js';
import { conflictRule, type FieldConflict } from './conflict-rules.js';
import { canonicalJson, recordHash } from './record-hash.js';
import { sameCrmValue } from './same-crm-value.js';
import type { SyncConfig } from './sync-config.js';
import type { PlanItem, PlannedChange, PlannedHold } from './sync-planner.js';

export interface ConflictStats {
  /** Changed records with a field Tide pushed before, so a CRM value to compare with. */
  checked: number;
  /** Of those, compared with the raw table this run's extract loaded. */
  fromRaw: number;
  /** Of those, read back from the CRM (no fresh raw row). */
  readBack: number;
  /** Read calls made to read them back. */
  readCalls: number;
  /** Fields the CRM already holds at Tide's new value: nothing to send. */
  agreed: number;
  /** Changed records left with nothing to send. */
  held: number;
  /** Conflicting fields, by the rule that decided them. */
  overwrite: number;
  keepCrm: number;
  report: number;
}

export type { FieldConflict } from './conflict-rules.js';

export interface ConflictSample extends FieldConflict {
  readonly key: string;
}

export interface ResolverInput {
  readonly sync: SyncConfig;
  /** Mapped column → its CRM field (the field check's result). */
  readonly fields: ReadonlyMap<string, CrmField>;
  readonly destination: Destination;
  readonly target: WriteTarget;
  readonly signal?: AbortSignal;
  /** Conflicts kept for the summary (all of them go to tide.push_conflicts). */
  readonly sampleSize?: number;
}

interface Pending {
  readonly change: PlannedChange;
  readonly pushed: Readonly<Record<string, CanonicalValue>>;
}

/**
 * Between the planner and the pusher: a changed record sends only the fields whose value moved since
 * Tide's last confirmed write, and each of those that Tide pushed before is first compared with the
 * CRM's current value — from the raw table this run's extract loaded when its row is newer than
 * Tide's last write of the record (so it shows that write), else read back through the Destination in
 * batches. Equal to what Tide last pushed (its own write, in whatever form the CRM stores it): sent.
 * Equal to the new value: nothing to send. Anything else: a person changed it — a conflict, decided by
 * the field's rule. Dry run and real run go through the same steps, so they find the same conflicts.
 */
export class ConflictResolver {
  readonly stats: ConflictStats = {
    checked: 0,
    fromRaw: 0,
    readBack: 0,
    readCalls: 0,
    agreed: 0,
    held: 0,
    overwrite: 0,
    keepCrm: 0,
    report: 0,
  };
  readonly samples: ConflictSample[] = [];
  readonly #in: ResolverInput;
  /** Mapped fields: the config's name, the CRM field. */
  readonly #mapped: readonly { readonly name: string; readonly field: CrmField }[];

  constructor(input: ResolverInput) {
    this.#in = input;
    this.#mapped = Object.entries(input.sync.fields).flatMap(([column, name]) => {
      const field = input.fields.get(column);
      return field === undefined ? [] : [{ name, field }];
    });
  }

  async *resolve(items: AsyncIterable<PlanItem>): AsyncGenerator<PlanItem> {
    // fill-empty reads the CRM itself and never replaces a value: nothing to resolve.
    if (this.#in.sync.mode === 'fill-empty') {
      yield* items;
      return;
    }
    const batch = Math.max(1, this.#in.destination.maxBatchSize);
    let pending: Pending[] = [];
    for await (const item of items) {
      if (item.kind !== 'change') {
        yield item;
        continue;
      }
      const pushed = parseValues(item.previous.valuesJson);
      // Never pushed: nothing of Tide's to compare with; the sync's mode decides (a first write).
      if (pushed === null) {
        yield item;
        continue;
      }
      const needsCrm = this.#mapped.some(
        ({ field }) => field.name in item.record.values && field.name in pushed && moved(item, pushed, field),
      );
      if (!needsCrm) {
        yield this.#decide(item, pushed, null, 'read');
        continue;
      }
      this.stats.checked++;
      const crm = item.crm ?? null;
      if (crm !== null && item.previous.pushedAt !== null && isAfter(crm.loadedAt, item.previous.pushedAt)) {
        this.stats.fromRaw++;
        yield this.#decide(item, pushed, crm.values, 'raw');
        continue;
      }
      pending.push({ change: item, pushed });
      if (pending.length >= batch) {
        const full = pending;
        pending = [];
        yield* this.#readBack(full);
      }
    }
    if (pending.length > 0) yield* this.#readBack(pending);
  }

  /** One read call for up to a batch of records; a record the CRM does not have is written as planned. */
  async *#readBack(pending: readonly Pending[]): AsyncGenerator<PlanItem> {
    this.stats.readCalls++;
    this.stats.readBack += pending.length;
    const current = await this.#in.destination.readCurrent(
      this.#in.target,
      pending.map((p) => p.change.record),
      this.#in.signal,
    );
    for (const { change, pushed } of pending) {
      yield this.#decide(change, pushed, current.get(change.record.key) ?? null, 'read');
    }
  }

  /**
   * The record's write after its conflicts: the fields to send, and the state to save once the CRM
   * confirms it — the values Tide then believes the CRM holds (`valuesJson`), and the fingerprint of
   * what it settled (`hash`). A held field keeps its last pushed value in both, so the record is
   * planned (and its conflict found) again next run, until the values agree or the rule changes.
   */
  #decide(
    change: PlannedChange,
    pushed: Readonly<Record<string, CanonicalValue>>,
    current: CurrentValues | null,
    seenIn: 'raw' | 'read',
  ): PlannedChange | PlannedHold {
    const wanted = change.record.values;
    const send: Record<string, CanonicalValue> = {};
    const settled: Record<string, CanonicalValue> = { ...wanted };
    const state: Record<string, CanonicalValue> = {};
    const conflicts: FieldConflict[] = [];
    let agreed = 0;
    for (const { name, field } of this.#mapped) {
      const crmName = field.name;
      const last = pushed[crmName];
      if (!(crmName in wanted)) {
        // NULL skipped: the CRM still holds what Tide last pushed, if anything.
        if (last !== undefined) state[crmName] = last;
        continue;
      }
      const next = wanted[crmName] ?? null;
      state[crmName] = next;
      if (!moved(change, pushed, field)) continue;
      if (last === undefined || current === null) {
        send[crmName] = next;
        continue;
      }
      const now = current[crmName];
      if (sameCrmValue(field, now, next)) {
        agreed++;
        continue;
      }
      if (sameCrmValue(field, now, last)) {
        send[crmName] = next;
        continue;
      }
      const rule = conflictRule(this.#in.sync, name);
      const conflict: FieldConflict = {
        field: name,
        crmField: crmName,
        crmValue: now ?? null,
        pushedValue: last,
        newValue: next,
        rule,
        seenIn,
      };
      conflicts.push(conflict);
      this.#count(change.record.key, conflict);
      if (rule === 'overwrite') {
        send[crmName] = next;
        continue;
      }
      settled[crmName] = last;
      state[crmName] = last;
    }
    this.stats.agreed += agreed;
    const hash = recordHash(settled);
    const valuesJson = canonicalJson(state);
    if (Object.keys(send).length > 0) {
      return { ...change, record: { ...change.record, values: send }, hash, valuesJson, conflicts };
    }
    this.stats.held++;
    const held = conflicts.map((c) => `${c.field} (${c.rule})`);
    return {
      kind: 'held',
      key: change.record.key,
      hash,
      valuesJson,
      previous: change.previous,
      attempt: change.attempt,
      conflicts,
      reason:
        held.length > 0
          ? `changed in the CRM since Tide's last push, not sent: ${held.join(', ')}`
          : agreed > 0
            ? 'the CRM already holds the new values'
            : 'no value to send moved since the last confirmed write',
    };
  }

  #count(key: string, conflict: FieldConflict): void {
    if (conflict.rule === 'overwrite') this.stats.overwrite++;
    else if (conflict.rule === 'keep-crm') this.stats.keepCrm++;
    else this.stats.report++;
    if (this.samples.length < (this.#in.sampleSize ?? 10)) this.samples.push({ key, ...conflict });
  }
}

/** Whether Tide's value of a field moved since its last confirmed write (or was never written). */
function moved(
  change: PlannedChange,
  pushed: Readonly<Record<string, CanonicalValue>>,
  field: CrmField,
): boolean {
  const name = field.name;
  if (!(name in change.record.values)) return false;
  if (!(name in pushed)) return true;
  return JSON.stringify(pushed[name]) !== JSON.stringify(change.record.values[name]);
}

function parseValues(json: string | null): Record<string, CanonicalValue> | null {
  if (json === null) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, CanonicalValue>)
      : null;
  } catch {
    return null;
  }
}

/** ISO instants compared as instants (the two may differ in precision or offset notation). */
function isAfter(a: string, b: string): boolean {
  const x = Date.parse(a);
  const y = Date.parse(b);
  return Number.isFinite(x) && Number.isFinite(y) && x > y;
}
