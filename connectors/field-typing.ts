import type { LogicalType } from '../core/column-spec.js';
import type { CrmFieldType } from '../core/destination.js';

/**
 * How one vendor field type is typed in both directions: the warehouse column it loads as
 * (extraction) and the kind of value reverse ETL validates and writes. Each connector's field catalog
 * (connectors/<crm>/<crm>-field-catalog.ts) keeps one table of these, so the two never drift apart.
 */
export interface FieldTyping {
  readonly column: LogicalType;
  readonly value: CrmFieldType;
}

/** A vendor's field types, by the vendor's own type name. */
export type FieldTypeTable = Readonly<Record<string, FieldTyping>>;

/** Types a vendor adds after the connector was written load as text and are not written. */
const UNKNOWN: FieldTyping = { column: 'string', value: 'unsupported' };

export function typingOf(table: FieldTypeTable, vendorType: string): FieldTyping {
  return table[vendorType] ?? UNKNOWN;
}
