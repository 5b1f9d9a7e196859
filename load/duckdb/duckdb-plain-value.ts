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

/**
 * The converter of one result column, chosen once per query rather than per value: the flat types
 * every raw table uses get a direct function, everything else goes through toPlainValue.
 */
export function plainConverterFor(type: DuckDBType): (value: DuckDBValue) => unknown {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
      return type.alias === 'JSON' ? parseJson : (v) => v;
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.INTEGER:
      return (v) => v;
    case DuckDBTypeId.BIGINT:
      return safeNumberOrString;
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP:
      return isoTimestamp;
    case DuckDBTypeId.DATE:
      return isoDate;
    default:
      return (v) => toPlainValue(v, type, toPlainValue);
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** ±2^53 µs is about ±285 years around 1970. */
const SAFE_MICROS = MAX_SAFE;
const MS_PER_DAY = 86_400_000;
/** The range a JS Date can hold. */
const MAX_DATE_MS = 8_640_000_000_000_000n;

function safeNumberOrString(value: DuckDBValue): number | string {
  if (typeof value === 'bigint')
    return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : String(value);
  return typeof value === 'number' ? value : String(value);
}

function varcharOrJson(value: DuckDBValue, type: DuckDBType): unknown {
  return type.alias === 'JSON' ? parseJson(value) : String(value);
}

function parseJson(value: DuckDBValue): unknown {
  const text = String(value);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isoTimestamp(value: DuckDBValue): string {
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) {
    const micros = value.micros;
    // The common case without bigint division: exact while the microseconds fit a double.
    if (micros < SAFE_MICROS && micros > -SAFE_MICROS)
      return new Date(Math.floor(Number(micros) / 1000)).toISOString();
  }
  const ms = epochMs(value);
  if (ms === null || ms > MAX_DATE_MS || ms < -MAX_DATE_MS) return String(value);
  return new Date(Number(ms)).toISOString();
}

const POS_INF_MICROS = DuckDBTimestampValue.PosInf.micros;
const NEG_INF_MICROS = DuckDBTimestampValue.NegInf.micros;

function epochMs(value: DuckDBValue): bigint | null {
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) {
    // Compared here rather than with `isFinite`, which is a native call per value.
    if (value.micros === POS_INF_MICROS || value.micros === NEG_INF_MICROS) return null;
    return floorDiv(value.micros, 1000n);
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
