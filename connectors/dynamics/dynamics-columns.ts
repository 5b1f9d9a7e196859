import type { ColumnSpec, LogicalType } from '../../core/column-spec.js';
import { toIso } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import { TideError } from '../../core/tide-error.js';
import type { DataverseAttribute, DataverseTable } from './dynamics-metadata.js';

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const LOOKUP_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';

/** What reads ask Dataverse to add to rows: choice labels and the table each lookup points at. */
export const READ_ANNOTATIONS = `odata.include-annotations="${FORMATTED},${LOOKUP_NAME}"`;

/** Column types Tide reads, by AttributeTypeName; the others are files, images, party lists, ... */
const READ_TYPES: Readonly<Record<string, LogicalType>> = {
  StringType: 'string',
  MemoType: 'string',
  UniqueidentifierType: 'string',
  EntityNameType: 'string',
  IntegerType: 'integer',
  BigIntType: 'integer',
  DecimalType: 'number',
  DoubleType: 'number',
  MoneyType: 'number',
  BooleanType: 'boolean',
  DateTimeType: 'timestamp',
  PicklistType: 'integer',
  StateType: 'integer',
  StatusType: 'integer',
  MultiSelectPicklistType: 'string',
  LookupType: 'string',
  CustomerType: 'string',
  OwnerType: 'string',
};
const LOOKUPS = new Set(['LookupType', 'CustomerType', 'OwnerType']);
const CHOICES = new Set([
  'PicklistType',
  'StateType',
  'StatusType',
  'MultiSelectPicklistType',
  'BooleanType',
]);

/** How one Web API property becomes warehouse fields. */
interface ColumnRead {
  /** The property in `$select` and in rows (`_parentcustomerid_value` for lookups). */
  readonly wire: string;
  readonly field: string;
  readonly type: LogicalType;
  readonly attribute: DataverseAttribute;
  /** `<field>_label` (choices: the option's label) or `<field>_type` (polymorphic lookups). */
  readonly extra: { readonly field: string; readonly annotation: string } | null;
}

/**
 * The columns a table's stream has: every readable column of a type Tide reads (custom ones
 * included), lookups as their GUID under the column's logical name plus `<name>_type` when the
 * lookup can point at several tables, choices as their value plus `<name>_label`. Companion columns
 * (`parentcustomeridname`, AttributeOf set) are not Web API properties and are skipped.
 */
export class DynamicsColumns {
  readonly table: DataverseTable;
  readonly #reads: readonly ColumnRead[];

  constructor(table: DataverseTable) {
    this.table = table;
    const names = new Set(table.attributes.map((a) => a.logicalName));
    const reads: ColumnRead[] = [];
    for (const a of table.attributes) {
      const type = READ_TYPES[a.typeName];
      if (type === undefined || !a.readable || a.attributeOf !== null) continue;
      const isLookup = LOOKUPS.has(a.typeName);
      const wire = isLookup ? `_${a.logicalName}_value` : a.logicalName;
      const dateOnly = a.typeName === 'DateTimeType' && a.dateOnly;
      let extra: ColumnRead['extra'] = null;
      if (isLookup && a.targets.length > 1)
        extra = { field: `${a.logicalName}_type`, annotation: `${wire}@${LOOKUP_NAME}` };
      if (CHOICES.has(a.typeName))
        extra = { field: `${a.logicalName}_label`, annotation: `${wire}@${FORMATTED}` };
      if (extra !== null && names.has(extra.field)) extra = null;
      reads.push({ wire, field: a.logicalName, type: dateOnly ? 'date' : type, attribute: a, extra });
    }
    if (!reads.some((r) => r.field === table.primaryId)) {
      throw new TideError(
        'malformed_response',
        `Dynamics 365 metadata of ${table.logicalName} lists no readable primary key ${table.primaryId}`,
      );
    }
    if (!reads.some((r) => r.field === 'modifiedon')) {
      throw new TideError(
        'source_error',
        `Dynamics 365 table ${table.logicalName} has no modifiedon column, which Tide reads incrementally`,
      );
    }
    this.#reads = reads;
  }

  /** The `$select` list. */
  get select(): string {
    return this.#reads.map((r) => r.wire).join(',');
  }

  specs(): ColumnSpec[] {
    const out: ColumnSpec[] = [];
    for (const r of this.#reads) {
      out.push({
        name: r.field,
        type: r.type,
        meta: { attributeType: r.attribute.typeName, ...(r.attribute.custom ? { custom: 'true' } : {}) },
      });
      if (r.extra !== null) out.push({ name: r.extra.field, type: 'string', meta: { of: r.field } });
    }
    return out;
  }

  /** A row of a read (or a `$deletedEntity` entry of a delta) as a SourceRecord. */
  record(row: Readonly<Record<string, unknown>>, deletedAt: () => string): SourceRecord {
    const context = row['@odata.context'];
    const removed = row['@removed'];
    if ((typeof context === 'string' && context.endsWith('/$deletedEntity')) || removed !== undefined) {
      // A deletion carries only the key (`$deletedEntity`; OData 4.01 clients see `@removed`).
      const id = row.id ?? row['@id'] ?? row[this.table.primaryId];
      if (typeof id !== 'string' || id === '')
        throw new TideError(
          'malformed_response',
          `Dynamics 365 sent a deletion of ${this.table.logicalName} without an id`,
        );
      const key = id.replace(/^.*\(([^)]+)\)$/, '$1').toLowerCase();
      return { id: key, updatedAt: deletedAt(), deleted: true, fields: { [this.table.primaryId]: key } };
    }
    const id = row[this.table.primaryId];
    if (typeof id !== 'string' || id === '') {
      throw new TideError(
        'malformed_response',
        `Dynamics 365 sent a ${this.table.logicalName} row without ${this.table.primaryId}`,
      );
    }
    const modified = row.modifiedon;
    if (typeof modified !== 'string') {
      throw new TideError(
        'malformed_response',
        `Dynamics 365 sent ${this.table.logicalName} ${id} without modifiedon`,
      );
    }
    const fields: Record<string, unknown> = {};
    for (const r of this.#reads) {
      const value = row[r.wire];
      fields[r.field] = value === undefined ? null : value;
      if (r.extra !== null) {
        const extra = row[r.extra.annotation];
        fields[r.extra.field] = typeof extra === 'string' ? extra : null;
      }
    }
    return { id: id.toLowerCase(), updatedAt: toIso(modified), deleted: false, fields };
  }
}
