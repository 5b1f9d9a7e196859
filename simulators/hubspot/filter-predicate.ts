import { createdName, lastModifiedName, type ObjectType } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';
import type { PropertyValues } from './object-table.js';
import type { PropertyDef } from './property-catalog.js';
import type { SearchFilter } from './search-request.js';

export type SlotPredicate = (slot: number) => boolean;

/**
 * Reads one record's values for filtering and sorting. id, created and last-modified come straight
 * from the table columns (no record is materialized for the common incremental query); other
 * properties are materialized once per slot.
 */
export class SlotReader {
  readonly #store: HubspotStore;
  readonly #type: ObjectType;
  #cachedSlot = -1;
  #cached: PropertyValues = {};

  constructor(store: HubspotStore, type: ObjectType) {
    this.#store = store;
    this.#type = type;
  }

  /** The column behind a system property, or null for ordinary properties. */
  column(name: string): 'id' | 'created' | 'modified' | null {
    if (name === 'hs_object_id') return 'id';
    if (name === createdName(this.#type)) return 'created';
    if (name === lastModifiedName(this.#type) || name === 'hs_lastmodifieddate') return 'modified';
    return null;
  }

  raw(slot: number, name: string): string | null {
    if (this.#cachedSlot !== slot) {
      this.#cached = this.#store.properties(this.#type, slot);
      this.#cachedSlot = slot;
    }
    return this.#cached[name] ?? null;
  }

  /** A comparable number for number and date properties (null when empty or unparseable). */
  numeric(slot: number, def: PropertyDef): number | null {
    const table = this.#store.table(this.#type);
    switch (this.column(def.name)) {
      case 'id':
        return table.id(slot);
      case 'created':
        return table.createdMs(slot);
      case 'modified':
        return table.modifiedMs(slot);
    }
    const raw = this.raw(slot, def.name);
    if (raw === null || raw === '') return null;
    const n = def.type === 'number' ? Number(raw) : parseTime(raw);
    return n === null || Number.isNaN(n) ? null : n;
  }
}

/** Epoch milliseconds (as HubSpot's docs send them) or an ISO date/date-time. */
export function parseTime(value: string): number | null {
  const ms = /^-?\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function isNumeric(def: PropertyDef): boolean {
  return def.type === 'number' || def.type === 'date' || def.type === 'datetime';
}

/** Compiles one filter; a string is the 400 message for a value of the wrong type. */
export function compileFilter(
  filter: SearchFilter,
  def: PropertyDef,
  reader: SlotReader,
): SlotPredicate | string {
  const { operator } = filter;
  if (operator === 'HAS_PROPERTY' || operator === 'NOT_HAS_PROPERTY') {
    const want = operator === 'HAS_PROPERTY';
    return (slot) => {
      const raw = reader.column(def.name) ? 'x' : reader.raw(slot, def.name);
      return (raw !== null && raw !== '') === want;
    };
  }
  if (operator === 'CONTAINS_TOKEN' || operator === 'NOT_CONTAINS_TOKEN') {
    const pattern = tokenPattern(filter.value ?? '');
    const want = operator === 'CONTAINS_TOKEN';
    return (slot) => {
      const text = reader.raw(slot, def.name)?.toLowerCase() ?? null;
      const has =
        text !== null && (pattern.test(text) || text.split(/[\s,;.@]+/).some((t) => pattern.test(t)));
      return has === want;
    };
  }
  if (isNumeric(def)) {
    const parse = (v: string): number | null => (def.type === 'number' ? finite(Number(v)) : parseTime(v));
    const given = filter.values ?? [filter.value ?? ''];
    const values = given.map(parse);
    const bad = given.find((_, i) => values[i] === null);
    if (bad !== undefined) return `'${bad}' is not a valid ${def.type} value for property ${def.name}.`;
    const high = filter.highValue === undefined ? null : parse(filter.highValue);
    if (operator === 'BETWEEN' && high === null)
      return `'${filter.highValue}' is not a valid ${def.type} value for property ${def.name}.`;
    const v = values[0]!;
    const set = new Set(values as number[]);
    const test = numericTest(operator, v, high ?? v, set);
    return (slot) => test(reader.numeric(slot, def));
  }
  const lower = (s: string) => s.toLowerCase();
  const v = lower(filter.value ?? '');
  const high = lower(filter.highValue ?? '');
  const set = new Set((filter.values ?? []).map(lower));
  return (slot) => {
    const raw = reader.raw(slot, def.name);
    const x = raw === null || raw === '' ? null : lower(raw);
    switch (operator) {
      case 'EQ':
        return x === v;
      case 'NEQ':
        return x !== v;
      case 'IN':
        return x !== null && set.has(x);
      case 'NOT_IN':
        return x === null || !set.has(x);
      case 'LT':
        return x !== null && x < v;
      case 'LTE':
        return x !== null && x <= v;
      case 'GT':
        return x !== null && x > v;
      case 'GTE':
        return x !== null && x >= v;
      default:
        return x !== null && x >= v && x <= high;
    }
  };
}

function numericTest(
  operator: SearchFilter['operator'],
  v: number,
  high: number,
  set: ReadonlySet<number>,
): (x: number | null) => boolean {
  switch (operator) {
    case 'EQ':
      return (x) => x === v;
    case 'NEQ':
      return (x) => x !== v;
    case 'IN':
      return (x) => x !== null && set.has(x);
    case 'NOT_IN':
      return (x) => x === null || !set.has(x);
    case 'LT':
      return (x) => x !== null && x < v;
    case 'LTE':
      return (x) => x !== null && x <= v;
    case 'GT':
      return (x) => x !== null && x > v;
    case 'GTE':
      return (x) => x !== null && x >= v;
    default:
      return (x) => x !== null && x >= v && x <= high;
  }
}

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

function tokenPattern(value: string): RegExp {
  const escaped = value
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}
