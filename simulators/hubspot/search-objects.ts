import type { SimResponse } from '../kit/sim-types.js';
import { compileFilter, parseTime, type SlotPredicate, SlotReader } from './filter-predicate.js';
import { validationError } from './hubspot-errors.js';
import type { ObjectType } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';
import { publicObject } from './public-object.js';
import type { SearchFilter, SearchRequest } from './search-request.js';

/** Properties the free-text `query` looks in (HubSpot's default searchable properties, roughly). */
const QUERY_PROPERTIES: Partial<Record<ObjectType, readonly string[]>> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'company'],
  companies: ['name', 'domain', 'website', 'phone'],
  deals: ['dealname'],
};

interface Plan {
  /** Inclusive last-modified bounds served by the (last-modified, id) index, when the group has any. */
  readonly range: { lo: number; hi: number } | null;
  readonly predicates: readonly SlotPredicate[];
}

/**
 * `POST /crm/v3/objects/{type}/search`. Groups are OR-ed, filters AND-ed. A group with a
 * last-modified range is answered from the sorted index (binary search, then only that slice is
 * examined), so incremental queries never scan the table. Archived records and records modified
 * within `lagMs` (HubSpot's indexing delay) are invisible. Ties in the sort are ordered by id in the
 * sort's direction, so `after` offsets are deterministic.
 */
export function searchObjects(
  store: HubspotStore,
  type: ObjectType,
  req: SearchRequest,
  lagMs: number,
): SimResponse {
  const reader = new SlotReader(store, type);
  const plans: Plan[] = [];
  for (const group of req.groups.length === 0 ? [[]] : req.groups) {
    const plan = planGroup(store, type, group, reader, req.query);
    if (typeof plan === 'string') return validationError(plan);
    plans.push(plan);
  }
  const visibleUntil = lagMs > 0 ? store.clock.now() - lagMs : Number.POSITIVE_INFINITY;
  let matches: Int32Array;
  let inIndexOrder = false;
  if (plans.length === 1) {
    const only = plans[0]!;
    matches = candidates(store, type, only, visibleUntil);
    inIndexOrder = only.range !== null;
  } else {
    const union = new Set<number>();
    for (const plan of plans) for (const slot of candidates(store, type, plan, visibleUntil)) union.add(slot);
    matches = Int32Array.from(union);
  }
  const ordered = order(store, type, matches, req.sort, inIndexOrder, reader);
  const page = ordered.subarray(req.after, req.after + req.limit);
  const results = Array.from(page, (slot) => publicObject(store, type, slot, req.properties));
  const next = req.after + req.limit;
  return {
    status: 200,
    json: {
      total: ordered.length,
      results,
      ...(next < ordered.length ? { paging: { next: { after: String(next) } } } : {}),
    },
  };
}

function planGroup(
  store: HubspotStore,
  type: ObjectType,
  filters: readonly SearchFilter[],
  reader: SlotReader,
  query: string | null,
): Plan | string {
  let range: { lo: number; hi: number } | null = null;
  const predicates: SlotPredicate[] = [];
  for (const filter of filters) {
    const def = store.catalog.get(type, filter.propertyName)!;
    const bounds = reader.column(def.name) === 'modified' ? rangeOf(filter) : null;
    if (bounds !== null) {
      if (typeof bounds === 'string') return bounds;
      range =
        range === null ? bounds : { lo: Math.max(range.lo, bounds.lo), hi: Math.min(range.hi, bounds.hi) };
      continue;
    }
    const predicate = compileFilter(filter, def, reader);
    if (typeof predicate === 'string') return predicate;
    predicates.push(predicate);
  }
  if (query !== null) {
    const needle = query.toLowerCase().replace(/\*/g, '');
    const names = QUERY_PROPERTIES[type] ?? [];
    predicates.push((slot) =>
      names.some((n) => reader.raw(slot, n)?.toLowerCase().includes(needle) ?? false),
    );
  }
  return { range, predicates };
}

/** Inclusive ms bounds of a range filter on last-modified; null when the operator is not a range. */
function rangeOf(filter: SearchFilter): { lo: number; hi: number } | string | null {
  const at = (v: string | undefined): number | string => {
    const ms = v === undefined ? null : parseTime(v);
    return ms === null
      ? `'${v}' is not a valid datetime value for property ${filter.propertyName}.`
      : Math.floor(ms);
  };
  const ops: Record<string, (v: number, h: number) => { lo: number; hi: number }> = {
    EQ: (v) => ({ lo: v, hi: v }),
    GT: (v) => ({ lo: v + 1, hi: Number.POSITIVE_INFINITY }),
    GTE: (v) => ({ lo: v, hi: Number.POSITIVE_INFINITY }),
    LT: (v) => ({ lo: Number.NEGATIVE_INFINITY, hi: v - 1 }),
    LTE: (v) => ({ lo: Number.NEGATIVE_INFINITY, hi: v }),
    BETWEEN: (v, h) => ({ lo: v, hi: h }),
  };
  const op = ops[filter.operator];
  if (!op) return null;
  const v = at(filter.value);
  if (typeof v === 'string') return v;
  const h = filter.operator === 'BETWEEN' ? at(filter.highValue) : v;
  if (typeof h === 'string') return h;
  return op(v, h);
}

function candidates(store: HubspotStore, type: ObjectType, plan: Plan, visibleUntil: number): Int32Array {
  const table = store.table(type);
  const keep = (slot: number): boolean => plan.predicates.every((p) => p(slot));
  if (plan.range !== null) {
    const index = table.modifiedIndex;
    const sorted = index.sorted();
    const from = index.lowerBound(plan.range.lo);
    const to = index.upperBound(Math.min(plan.range.hi, visibleUntil));
    const slice = sorted.subarray(from, Math.max(from, to));
    return plan.predicates.length === 0 ? slice : slice.filter(keep);
  }
  const out = new Int32Array(table.size);
  let n = 0;
  for (let pos = 0; pos < table.size; pos++) {
    const slot = table.slotAtIdPosition(pos);
    if (table.isArchived(slot) || table.isMerged(slot) || table.modifiedMs(slot) > visibleUntil) continue;
    if (keep(slot)) out[n++] = slot;
  }
  return out.subarray(0, n);
}

function order(
  store: HubspotStore,
  type: ObjectType,
  slots: Int32Array,
  sort: SearchRequest['sort'],
  inIndexOrder: boolean,
  reader: SlotReader,
): Int32Array {
  const table = store.table(type);
  const name = sort?.propertyName ?? 'hs_object_id';
  const sign = sort?.descending ? -1 : 1;
  const column = reader.column(name);
  if (column === 'modified' && inIndexOrder) return sign === 1 ? slots : slots.slice().reverse();
  if (column === 'id' && table.slotsInIdOrder) {
    // Slot order is id order: a native numeric sort (no comparator) keeps large result sets cheap.
    const byId = slots.slice().sort();
    return sign === 1 ? byId : byId.reverse();
  }
  let key: (slot: number) => number | string | null;
  if (column === 'id') key = (s) => table.id(s);
  else if (column === 'created') key = (s) => table.createdMs(s);
  else if (column === 'modified') key = (s) => table.modifiedMs(s);
  else {
    const def = store.catalog.get(type, name)!;
    const keys = new Map<number, number | string | null>();
    const numeric = def.type === 'number' || def.type === 'date' || def.type === 'datetime';
    for (const s of slots)
      keys.set(s, numeric ? reader.numeric(s, def) : (reader.raw(s, name)?.toLowerCase() ?? null));
    key = (s) => keys.get(s) ?? null;
  }
  // Empty values sort first ascending (last descending); ties go by id in the sort's direction.
  const compare = (a: number, b: number): number => {
    const ka = key(a);
    const kb = key(b);
    let c = 0;
    if (ka !== kb) c = ka === null ? -1 : kb === null ? 1 : ka < kb ? -1 : 1;
    return sign * (c || table.id(a) - table.id(b));
  };
  for (let i = 1; i < slots.length; i++) {
    if (compare(slots[i - 1]!, slots[i]!) > 0) return slots.slice().sort(compare);
  }
  return slots;
}
