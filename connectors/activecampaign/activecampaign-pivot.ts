import type { SourceRecord } from '../../core/record.js';
import type { ActiveCampaignStreamName } from './activecampaign-config.js';
import type { CustomFields, ValueFetch } from './activecampaign-custom-fields.js';
import { toSourceRecord } from './activecampaign-record.js';
import type { AccountClock } from './activecampaign-time.js';

type Raw = Readonly<Record<string, unknown>> & { readonly id: string };

export interface PivotStep {
  readonly stream: ActiveCampaignStreamName;
  /** The modified field and the created one it falls back to (`udate` / `cdate`). */
  readonly time: { readonly updated: string; readonly fallback: string };
  readonly fields: CustomFields;
  readonly values: ValueFetch;
  readonly clock: AccountClock;
  /** Records modified before this instant are dropped (null: keep all). */
  readonly fromMs: number | null;
  /** Whether to emit a record (the read's CursorTracker: ties loaded last time are skipped). */
  readonly keep: (record: SourceRecord) => boolean;
  readonly signal: AbortSignal;
}

/**
 * Raw records → SourceRecords with their custom values pivoted to columns: records before the exact
 * lower bound, and those `keep` refuses, are dropped first (so their values are never fetched), the
 * values of the rest come
 * through the read's ValueFetch, and a value naming a field the map does not know (added mid-stream)
 * makes the field definitions read again once.
 */
export async function pivotRecords(raws: readonly Raw[], step: PivotStep): Promise<SourceRecord[]> {
  const kept: Raw[] = [];
  for (const raw of raws) {
    step.clock.learn(raw[step.time.updated], raw[step.time.fallback]);
    const record = toSourceRecord(step.stream, raw, step.time, null);
    if ((step.fromMs === null || Date.parse(record.updatedAt) >= step.fromMs) && step.keep(record))
      kept.push(raw);
  }
  if (kept.length === 0) return [];
  const byOwner = await step.values.forOwners(kept.map((r) => r.id));
  let map = await step.fields.map(step.signal);
  if ([...byOwner.values()].some((v) => [...v.keys()].some((field) => !map.byId.has(field)))) {
    map = await step.fields.refresh(step.signal);
  }
  return kept.map((raw) =>
    toSourceRecord(step.stream, raw, step.time, { map, values: byOwner.get(raw.id) ?? new Map() }),
  );
}
