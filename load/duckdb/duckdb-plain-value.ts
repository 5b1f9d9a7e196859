import {
  arrayFromArrayValue,
  arrayFromListValue,
  booleanFromValue,
  bytesFromBlobValue,
  createDuckDBValueConverter,
  DuckDBDateValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  doubleFromDecimalValue,
  fromVariantValue,
  nullConverter,
  numberFromValue,
  objectArrayFromMapValue,
  objectFromStructValue,
  objectFromUnionValue,
  stringFromValue,
  unsupportedConverter,
} from '@duckdb/node-api';

/**
 * DuckDB values → plain JS values, so query() callers (models, `tide sql`, reverse ETL) never see
 * DuckDB classes and the BigQuery warehouse can return the same shapes:
 * - integers: number when exactly representable, else the decimal string (never a bigint: plain
 *   values must survive JSON.stringify);
 * - DECIMAL: number (CRM amounts fit a double; exact decimals would need strings everywhere);
 * - TIMESTAMP / TIMESTAMPTZ: ISO-8601 UTC string with milliseconds (`2024-01-31T12:00:00.000Z`),
 *   the same shape as SourceRecord.updatedAt and cursor values; sub-millisecond digits are dropped;
 * - DATE: `YYYY-MM-DD`;
 * - JSON: parsed into objects/arrays/scalars (the text as a string if it somehow does not parse);
 * - LIST/ARRAY/STRUCT: arrays and objects of plain values; BLOB: Uint8Array; other types: strings.
 */
export const toPlainValue: DuckDBValueConverter<unknown> = createDuckDBValueConverter<unknown>({
  [DuckDBTypeId.INVALID]: unsupportedConverter,
  [DuckDBTypeId.BOOLEAN]: booleanFromValue,
  [DuckDBTypeId.TINYINT]: numberFromValue,
  [DuckDBTypeId.SMALLINT]: numberFromValue,
  [DuckDBTypeId.INTEGER]: numberFromValue,
  [DuckDBTypeId.BIGINT]: safeNumberOrString,
  [DuckDBTypeId.UTINYINT]: numberFromValue,
  [DuckDBTypeId.USMALLINT]: numberFromValue,
  [DuckDBTypeId.UINTEGER]: numberFromValue,
  [DuckDBTypeId.UBIGINT]: safeNumberOrString,
  [DuckDBTypeId.FLOAT]: numberFromValue,
  [DuckDBTypeId.DOUBLE]: numberFromValue,
  [DuckDBTypeId.TIMESTAMP]: isoTimestamp,
  [DuckDBTypeId.DATE]: isoDate,
  [DuckDBTypeId.TIME]: stringFromValue,
  [DuckDBTypeId.INTERVAL]: stringFromValue,
  [DuckDBTypeId.HUGEINT]: safeNumberOrString,
  [DuckDBTypeId.UHUGEINT]: safeNumberOrString,
  [DuckDBTypeId.VARCHAR]: varcharOrJson,
  [DuckDBTypeId.BLOB]: bytesFromBlobValue,
  [DuckDBTypeId.DECIMAL]: doubleFromDecimalValue,
  [DuckDBTypeId.TIMESTAMP_S]: isoTimestamp,
  [DuckDBTypeId.TIMESTAMP_MS]: isoTimestamp,
  [DuckDBTypeId.TIMESTAMP_NS]: isoTimestamp,
  [DuckDBTypeId.ENUM]: stringFromValue,
  [DuckDBTypeId.LIST]: arrayFromListValue,
  [DuckDBTypeId.STRUCT]: objectFromStructValue,
  [DuckDBTypeId.MAP]: objectArrayFromMapValue,
  [DuckDBTypeId.ARRAY]: arrayFromArrayValue,
  [DuckDBTypeId.UUID]: stringFromValue,
  [DuckDBTypeId.UNION]: objectFromUnionValue,
  [DuckDBTypeId.BIT]: stringFromValue,
  [DuckDBTypeId.TIME_TZ]: stringFromValue,
  [DuckDBTypeId.TIMESTAMP_TZ]: isoTimestamp,
  [DuckDBTypeId.ANY]: unsupportedConverter,
  [DuckDBTypeId.BIGNUM]: safeNumberOrString,
  [DuckDBTypeId.SQLNULL]: nullConverter,
  [DuckDBTypeId.STRING_LITERAL]: unsupportedConverter,
  [DuckDBTypeId.INTEGER_LITERAL]: unsupportedConverter,
  [DuckDBTypeId.TIME_NS]: stringFromValue,
  [DuckDBTypeId.GEOMETRY]: stringFromValue,
  [DuckDBTypeId.VARIANT]: fromVariantValue,
});

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MS_PER_DAY = 86_400_000;
/** The range a JS Date can hold. */
const MAX_DATE_MS = 8_640_000_000_000_000n;

function safeNumberOrString(value: DuckDBValue): number | string {
  if (typeof value === 'bigint')
    return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : String(value);
  return typeof value === 'number' ? value : String(value);
}

function varcharOrJson(value: DuckDBValue, type: DuckDBType): unknown {
  const text = String(value);
  if (type.alias !== 'JSON') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isoTimestamp(value: DuckDBValue): string {
  const ms = epochMs(value);
  if (ms === null || ms > MAX_DATE_MS || ms < -MAX_DATE_MS) return String(value);
  return new Date(Number(ms)).toISOString();
}

function epochMs(value: DuckDBValue): bigint | null {
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) {
    return value.isFinite ? floorDiv(value.micros, 1000n) : null;
  }
  if (value instanceof DuckDBTimestampMillisecondsValue) return value.millis;
  if (value instanceof DuckDBTimestampSecondsValue) return value.seconds * 1000n;
  if (value instanceof DuckDBTimestampNanosecondsValue) return floorDiv(value.nanos, 1_000_000n);
  return null;
}

function isoDate(value: DuckDBValue): string {
  if (!(value instanceof DuckDBDateValue) || !value.isFinite) return String(value);
  return new Date(value.days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Rounds toward minus infinity, so 1969 timestamps keep their millisecond. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}
