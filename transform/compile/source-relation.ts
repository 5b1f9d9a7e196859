import type { LogicalType } from '../../core/column-spec.js';
import type { Dialect, RelationName } from '../../load/dialect/dialect.js';
import { rawTableName } from '../../load/warehouse.js';
import type { SourceColumn } from '../project/source-declarations.js';
import type { Catalog, FieldColumn } from './catalog.js';
import type { ConfiguredSource } from './compile-context.js';

/** The columns every raw table has (load/warehouse.ts), plus `_tide_source`: the config source name. */
export const RAW_SYSTEM_COLUMNS: readonly { readonly name: string; readonly type: LogicalType }[] = [
  { name: '_tide_id', type: 'string' },
  { name: '_tide_updated_at', type: 'timestamp' },
  { name: '_tide_deleted', type: 'boolean' },
  { name: '_tide_record', type: 'json' },
  { name: '_tide_loaded_at', type: 'timestamp' },
  { name: '_tide_load_id', type: 'string' },
];

export interface SourceRelationInput {
  readonly kind: string;
  readonly stream: string;
  readonly columns: readonly SourceColumn[];
  readonly sources: readonly ConfiguredSource[];
  readonly catalog: Catalog;
  readonly dialect: Dialect;
}

/**
 * `source(kind, stream)` as a derived table with a fixed shape, whatever the warehouse holds:
 * - one branch per configured source of that kind whose raw table exists, UNION ALL-ed, each tagged
 *   with `_tide_source` (two HubSpot accounts simply become two branches);
 * - each declared column from the typed raw column when the loader created it, else extracted from
 *   `_tide_record` (the CRM's own field names), cast to the declared type;
 * - no configured source or no raw table yet: an empty relation with the same columns, so unified
 *   models build with whatever CRMs exist.
 * Kind `tide` reads Tide's system tables (`tide.loads`, `tide.requests`, `tide.push_log`) the same
 * way: missing table → empty, missing column → NULL.
 */
export function sourceRelation(input: SourceRelationInput): string {
  const { dialect, columns } = input;
  if (input.kind === 'tide') {
    const target = { schema: 'tide', name: input.stream };
    const existing = input.catalog.get(target);
    if (!existing) return `(${dialect.emptyRelation(columns)})`;
    const have = new Set(existing.columns);
    const list = columns.map(
      (c) =>
        `${have.has(c.name) ? dialect.safeCast(dialect.quoteIdent(c.name), c.type) : `CAST(NULL AS ${dialect.type(c.type)})`} AS ${dialect.quoteIdent(c.name)}`,
    );
    return `(SELECT ${list.join(', ')} FROM ${dialect.relation(target)})`;
  }
  const branches: string[] = [];
  for (const source of input.sources) {
    if (source.kind !== input.kind) continue;
    const target: RelationName = { schema: 'raw', name: rawTableName(source.name, input.stream) };
    const existing = input.catalog.get(target);
    if (!existing) continue;
    const mapped = input.catalog.fieldColumns(target.name);
    branches.push(projectRaw(dialect, target, new Set(existing.columns), mapped, columns, source.name));
  }
  if (branches.length === 0) {
    return `(${dialect.emptyRelation([...RAW_SYSTEM_COLUMNS, { name: '_tide_source', type: 'string' }, ...columns])})`;
  }
  return `(${branches.join('\nUNION ALL\n')})`;
}

function projectRaw(
  dialect: Dialect,
  target: RelationName,
  have: ReadonlySet<string>,
  mapped: ReadonlyMap<string, FieldColumn>,
  columns: readonly SourceColumn[],
  sourceName: string,
): string {
  const q = (name: string): string => dialect.quoteIdent(name);
  const list: string[] = RAW_SYSTEM_COLUMNS.map((c) =>
    have.has(c.name) ? q(c.name) : `CAST(NULL AS ${dialect.type(c.type)}) AS ${q(c.name)}`,
  );
  list.push(`${dialect.string(sourceName)} AS ${q('_tide_source')}`);
  for (const c of columns) list.push(`${fieldExpression(dialect, have, mapped, c)} AS ${q(c.name)}`);
  return `SELECT ${list.join(', ')} FROM ${dialect.relation(target)}`;
}

/** The cheapest faithful way to read one declared field from a raw table. */
function fieldExpression(
  dialect: Dialect,
  have: ReadonlySet<string>,
  mapped: ReadonlyMap<string, FieldColumn>,
  c: SourceColumn,
): string {
  const loaded = mapped.get(c.field);
  const column = loaded?.column ?? (have.has(c.name) ? c.name : undefined);
  if (column !== undefined && have.has(column)) {
    const ref = dialect.quoteIdent(column);
    if (loaded?.type === c.type) return ref;
    // A field the loader kept as text (its CRM said string) is parsed like the JSON value would be.
    if (loaded?.type === 'string') return fromText(dialect, ref, c);
    return dialect.safeCast(ref, c.type);
  }
  if (!have.has('_tide_record')) return `CAST(NULL AS ${dialect.type(c.type)})`;
  const record = dialect.quoteIdent('_tide_record');
  if (c.type === 'json') return dialect.jsonQuery(record, [c.field]);
  return fromText(dialect, dialect.jsonText(record, [c.field]), c);
}

function fromText(dialect: Dialect, text: string, c: SourceColumn): string {
  if (c.type === 'string') return text;
  if (c.type === 'timestamp') return dialect.parseTimestamp(text);
  if (c.type === 'json') return text;
  return dialect.safeCast(text, c.type);
}
