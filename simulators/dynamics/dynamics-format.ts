import { type AttributeDef, type EntityDef, hasOptions, isLookup } from './dynamics-entities.js';
import { type LookupRef, lookupRef, type Row } from './dynamics-table.js';

/** The property a column is on the wire: lookups are `_<name>_value`, everything else its name. */
export function wireName(a: AttributeDef): string {
  return isLookup(a) ? `_${a.logicalName}_value` : a.logicalName;
}

/** The column behind a wire property name, or undefined. */
export function attributeByWire(entity: EntityDef, name: string): AttributeDef | undefined {
  const m = /^_(.+)_value$/.exec(name);
  const logical = m ? m[1]! : name;
  const a = entity.attributes.find((x) => x.logicalName === logical);
  if (a === undefined) return undefined;
  return (m !== null) === isLookup(a) ? a : undefined;
}

/**
 * Which annotations a request asked for with `Prefer: odata.include-annotations="…"`: `*`, exact
 * terms, or `Namespace.*` prefixes, comma-separated.
 */
export class AnnotationFilter {
  readonly #patterns: readonly string[];

  constructor(preference: string | null) {
    this.#patterns = (preference ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
  }

  get any(): boolean {
    return this.#patterns.length > 0;
  }

  wants(term: string): boolean {
    return this.#patterns.some(
      (p) => p === '*' || p === term || (p.endsWith('.*') && term.startsWith(p.slice(0, -1))),
    );
  }
}

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const LOOKUP_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';
const NAV_PROPERTY = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

export interface FormatContext {
  readonly entity: EntityDef;
  /** Wire properties to include; null = every column. */
  readonly select: readonly string[] | null;
  readonly annotations: AnnotationFilter;
  /** The primary name of a lookup's target, for its formatted value. */
  readonly nameOf: (ref: LookupRef) => string | null;
}

/** One row as the Web API returns it: `@odata.etag`, the selected properties, the annotations. */
export function formatRow(ctx: FormatContext, row: Row, version: number): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': `W/"${version}"` };
  const { entity, annotations } = ctx;
  const selected = ctx.select === null ? null : new Set(ctx.select);
  for (const a of entity.attributes) {
    const name = wireName(a);
    if (selected !== null && !selected.has(name) && a.logicalName !== entity.primaryId) continue;
    const value = row[a.logicalName] ?? null;
    if (isLookup(a)) {
      const ref = lookupRef(value);
      out[name] = ref?.id ?? null;
      if (ref !== null && annotations.any) {
        if (annotations.wants(FORMATTED)) {
          const label = ctx.nameOf(ref);
          if (label !== null) out[`${name}@${FORMATTED}`] = label;
        }
        if (annotations.wants(NAV_PROPERTY))
          out[`${name}@${NAV_PROPERTY}`] =
            (a.targets?.length ?? 0) > 1 ? `${a.logicalName}_${ref.entity}` : a.logicalName;
        if (annotations.wants(LOOKUP_NAME)) out[`${name}@${LOOKUP_NAME}`] = ref.entity;
      }
      continue;
    }
    out[name] = wireValue(a, value);
    if (value !== null && annotations.wants(FORMATTED)) {
      const formatted = formattedValue(a, value);
      if (formatted !== null) out[`${name}@${FORMATTED}`] = formatted;
    }
  }
  return out;
}

function wireValue(a: AttributeDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (a.type === 'MultiSelectPicklist' && Array.isArray(value)) return value.join(',');
  if (a.type === 'DateTime' && a.dateOnly === true && typeof value === 'string') return value.slice(0, 10);
  return value;
}

function formattedValue(a: AttributeDef, value: unknown): string | null {
  if (a.type === 'Boolean')
    return a.options?.find((o) => o.value === (value === true ? 1 : 0))?.label ?? null;
  if (hasOptions(a)) {
    const values = Array.isArray(value) ? value : [value];
    const labels = values.map((v) => a.options?.find((o) => o.value === v)?.label ?? String(v));
    return labels.join('; ');
  }
  if (a.type === 'Money' && typeof value === 'number') {
    return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  return null;
}

/** The properties a full row has on the wire, in column order. */
export function wireNames(entity: EntityDef): string[] {
  return entity.attributes.map(wireName);
}
