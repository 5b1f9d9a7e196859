import type { FieldType, ParamType, ParamValue, QueryParameter } from './bigquery-rest-shapes.js';

/** One column of a query answer, as BigQuery's `schema.fields` describes it. */
export interface AnswerField {
  readonly name: string;
  readonly type: FieldType;
  readonly mode?: 'NULLABLE' | 'REPEATED';
}

/** What a query job returns: result rows (plain values) or, for DML, the affected row count. */
export interface QueryAnswer {
  readonly fields?: readonly AnswerField[];
  readonly rows?: readonly Readonly<Record<string, unknown>>[];
  readonly dmlAffectedRows?: number;
}

/**
 * Encodes plain values the way jobs.getQueryResults does: every scalar is a string in `{ v }`,
 * TIMESTAMP is epoch microseconds when `formatOptions.useInt64Timestamp=true` (what the SDK asks
 * for) and float seconds otherwise, JSON is its text, REPEATED is an array of `{ v }`.
 */
export function encodeRow(
  fields: readonly AnswerField[],
  row: Readonly<Record<string, unknown>>,
  int64Timestamp: boolean,
): { f: { v: unknown }[] } {
  return {
    f: fields.map((field) => {
      const value = row[field.name];
      if (field.mode === 'REPEATED') {
        const items = Array.isArray(value) ? value : [];
        return { v: items.map((item) => ({ v: encodeScalar(field.type, item, int64Timestamp) })) };
      }
      return { v: encodeScalar(field.type, value, int64Timestamp) };
    }),
  };
}

function encodeScalar(type: FieldType, value: unknown, int64Timestamp: boolean): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'TIMESTAMP': {
      const ms = Date.parse(String(value));
      if (!Number.isFinite(ms)) throw new Error(`not a timestamp: ${String(value)}`);
      return int64Timestamp ? (BigInt(ms) * 1000n).toString() : String(ms / 1000);
    }
    case 'JSON':
      return JSON.stringify(value);
    case 'BOOLEAN':
    case 'BOOL':
      return value === true ? 'true' : 'false';
    default:
      return String(value);
  }
}

/** A query parameter as the plain value it carries. */
export function decodeParameter(parameter: QueryParameter): unknown {
  return decodeValue(parameter.parameterType, parameter.parameterValue);
}

function decodeValue(type: ParamType, value: ParamValue | undefined): unknown {
  if (type.type === 'ARRAY') return (value?.arrayValues ?? []).map((v) => decodeValue(type.arrayType!, v));
  if (type.type === 'STRUCT') {
    return Object.fromEntries(
      (type.structTypes ?? []).map((s, i) => [
        s.name ?? `_${i}`,
        decodeValue(s.type, value?.structValues?.[s.name ?? '']),
      ]),
    );
  }
  const raw = value?.value;
  if (raw === null || raw === undefined) return null;
  switch (type.type) {
    case 'INT64': {
      const n = Number(raw);
      return Number.isSafeInteger(n) ? n : String(raw);
    }
    case 'FLOAT64':
    case 'NUMERIC':
      return Number(raw);
    case 'BOOL':
      return raw === true || raw === 'true';
    default:
      return String(raw);
  }
}
