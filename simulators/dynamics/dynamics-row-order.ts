import { isLookup } from './dynamics-entities.js';
import { attributeByWire } from './dynamics-format.js';
import { type DynamicsTable, lookupRef, type Row } from './dynamics-table.js';

/** One term of `$orderby`. */
export interface OrderTerm {
  readonly name: string;
  readonly desc: boolean;
}

export function parseOrderBy(text: string | null): OrderTerm[] {
  if (text === null || text.trim() === '') return [];
  return text.split(',').map((term) => {
    const [name = '', dir = 'asc'] = term.trim().split(/\s+/);
    return { name, desc: dir.toLowerCase() === 'desc' };
  });
}

/** A column's value as the wire names it: a lookup compares and filters by the id it points to. */
export function wireOf(table: DynamicsTable, row: Row, name: string): unknown {
  const a = attributeByWire(table.entity, name);
  if (a === undefined) return undefined;
  const v = row[a.logicalName] ?? null;
  return isLookup(a) ? (lookupRef(v)?.id ?? null) : v;
}

export function wireValue(table: DynamicsTable, index: number, name: string): unknown {
  const row = table.row(index);
  return row === null ? null : wireOf(table, row, name);
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareKeys(
  a: readonly unknown[],
  b: readonly unknown[],
  orderBy: readonly OrderTerm[],
): number {
  for (let k = 0; k < a.length; k++) {
    const c = compareValues(a[k], b[k]);
    if (c !== 0) return orderBy[k]?.desc === true ? -c : c;
  }
  return 0;
}

/** The position of the first row ordered after `after` (the last key a previous page served). */
export function firstAfter(
  indices: readonly number[],
  after: readonly unknown[],
  keyOf: (i: number) => unknown[],
  orderBy: readonly OrderTerm[],
): number {
  let lo = 0;
  let hi = indices.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keyOf(indices[mid]!), after, orderBy) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
