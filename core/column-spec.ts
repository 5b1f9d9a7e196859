/**
 * The warehouse-neutral column types. Sources map their CRM's field types onto these; each warehouse
 * maps these onto SQL types in exactly one place: its dialect (load/<warehouse>/<warehouse>-dialect.ts).
 */
export const LOGICAL_TYPES = ['string', 'integer', 'number', 'boolean', 'timestamp', 'date', 'json'] as const;
export type LogicalType = (typeof LOGICAL_TYPES)[number];

/** For types read back as text (tide.columns, a macro's argument): checked, not cast. */
export function isLogicalType(text: string): text is LogicalType {
  return (LOGICAL_TYPES as readonly string[]).includes(text);
}

export interface ColumnSpec {
  /** The CRM's own field name (before normalization). */
  readonly name: string;
  readonly type: LogicalType;
  /** Extra facts about the field that later stages need (e.g. Pipedrive's hash key, a picklist). */
  readonly meta?: Readonly<Record<string, string>>;
  /**
   * The name reverse ETL writes this field by (`CrmField.name`) when it is not `name` (Pipedrive's
   * custom fields: column by label, writes by hash key). Conflict detection finds a synced field's
   * value in the raw table through it.
   */
  readonly writeName?: string;
}
