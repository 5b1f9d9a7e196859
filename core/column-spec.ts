/**
 * The warehouse-neutral column types. Sources map their CRM's field types onto these; each warehouse
 * maps these onto SQL types in exactly one place: its dialect (load/<warehouse>/<warehouse>-dialect.ts).
 */
export type LogicalType = 'string' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'date' | 'json';

export interface ColumnSpec {
  /** The CRM's own field name (before normalization). */
  readonly name: string;
  readonly type: LogicalType;
  /** Extra facts about the field that later stages need (e.g. Pipedrive's hash key, a picklist). */
  readonly meta?: Readonly<Record<string, string>>;
}
