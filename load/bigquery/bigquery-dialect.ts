import type { LogicalType } from '../../core/column-spec.js';
import type { Dialect, DialectCapabilities, JsonRows, RelationName, SqlType } from '../dialect/dialect.js';
import { jsonPath } from '../dialect/json-path.js';
import { StandardStatements } from '../dialect/standard-statements.js';

const TYPES: Readonly<Record<SqlType, string>> = {
  string: 'STRING',
  integer: 'INT64',
  number: 'FLOAT64',
  boolean: 'BOOL',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
  json: 'JSON',
  int32: 'INT64',
  utc_timestamp: 'TIMESTAMP',
};

export interface BigqueryDialectOptions {
  /** Qualifies every relation with this project; omit to use the client's default project. */
  readonly project?: string;
}

/**
 * BigQuery GoogleSQL. String literals use backslash escapes, so regexes are written as raw strings
 * (r'…'); identifiers are quoted with backticks; datasets play the role of schemas.
 */
export class BigqueryDialect extends StandardStatements implements Dialect {
  readonly name = 'bigquery' as const;
  readonly capabilities: DialectCapabilities = {
    // DDL on permanent tables is refused inside a transaction: schema evolution runs before it.
    transactionalDdl: false,
    // Jobs spend most of their time queued and on the network: several at once finish sooner.
    modelConcurrency: 4,
    // DML is slow (a job each) and quota'd: confirmations are saved in groups.
    stateFlushRecords: 2_000,
  };
  protected readonly qualifier: string | undefined;

  constructor(options: BigqueryDialectOptions = {}) {
    super();
    this.qualifier = options.project;
  }

  /** Inside backticks GoogleSQL uses the string-literal escapes (a backtick is \`, not doubled). */
  quoteIdent(name: string): string {
    return `\`${escapeBody(name, '`')}\``;
  }
  string(text: string): string {
    return `'${escapeBody(text, "'")}'`;
  }
  regex(pattern: string): string {
    // A raw string cannot end in a backslash nor hold a line break; the escaped form can.
    if (pattern.endsWith('\\') || /[\n\r]/.test(pattern)) return this.string(pattern);
    if (!pattern.includes("'")) return `r'${pattern}'`;
    if (!pattern.includes('"')) return `r"${pattern}"`;
    return this.string(pattern);
  }
  timestamp(at: Date): string {
    return `TIMESTAMP '${at.toISOString().replace('T', ' ').replace('Z', '+00')}'`;
  }
  type(type: SqlType): string {
    return TYPES[type];
  }
  jsonRows(fields: Readonly<Record<string, Exclude<SqlType, 'json'>>>): JsonRows {
    return {
      columns: Object.entries(fields).map(([k, type]) => {
        const text = `JSON_VALUE(j, ${this.string(`$.${k}`)})`;
        return type === 'string' ? text : `CAST(${text} AS ${this.type(type)})`;
      }),
      from: 'UNNEST(JSON_QUERY_ARRAY(?)) AS j',
    };
  }

  jsonText(expr: string, path: readonly (string | number)[]): string {
    return `JSON_VALUE(${expr}, ${this.string(jsonPath(path))})`;
  }
  jsonQuery(expr: string, path: readonly (string | number)[]): string {
    return `JSON_QUERY(${expr}, ${this.string(jsonPath(path))})`;
  }
  regexReplace(expr: string, pattern: string, replacement: string): string {
    return `REGEXP_REPLACE(${expr}, ${this.regex(pattern)}, ${this.string(replacement)})`;
  }
  regexContains(expr: string, pattern: string): string {
    return `REGEXP_CONTAINS(${expr}, ${this.regex(pattern)})`;
  }
  regexExtract(expr: string, pattern: string): string {
    return `NULLIF(REGEXP_EXTRACT(${expr}, ${this.regex(pattern)}), '')`;
  }
  md5Hex(expr: string): string {
    return `TO_HEX(MD5(${expr}))`;
  }
  hashId(expr: string): string {
    return `CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(${expr})), 1, 15)) AS INT64)`;
  }
  groupHash(expr: string): string {
    return `FARM_FINGERPRINT(${expr})`;
  }
  idText(expr: string): string {
    return `LPAD(FORMAT('%x', ${expr}), 15, '0')`;
  }
  trimWhitespace(expr: string): string {
    // Escaped: a GoogleSQL quoted string cannot contain a raw line break.
    return `TRIM(${expr}, ${this.string(' \t\n\r')})`;
  }
  splitPart(expr: string, delimiter: string, index: number): string {
    const i = Math.trunc(index);
    if (i === -1) return `ARRAY_REVERSE(SPLIT(${expr}, ${this.string(delimiter)}))[SAFE_OFFSET(0)]`;
    return `SPLIT(${expr}, ${this.string(delimiter)})[SAFE_OFFSET(${i - 1})]`;
  }
  epochSeconds(expr: string): string {
    return `UNIX_SECONDS(${expr})`;
  }
  editDistance(a: string, b: string): string {
    // GoogleSQL's own Levenshtein distance (string functions: EDIT_DISTANCE), the same measure as
    // DuckDB's levenshtein: BigQuery has no Jaro–Winkler to pair with DuckDB's.
    return `EDIT_DISTANCE(${a}, ${b})`;
  }
  stripAccents(expr: string): string {
    return `REGEXP_REPLACE(NORMALIZE(${expr}, NFD), r'\\pM', '')`;
  }
  epochMillis(expr: string): string {
    return `UNIX_MILLIS(${expr})`;
  }
  secondsBetween(start: string, end: string): string {
    return `TIMESTAMP_DIFF(${end}, ${start}, SECOND)`;
  }
  addDays(expr: string, days: number): string {
    return `TIMESTAMP_ADD(${expr}, INTERVAL ${Math.trunc(days)} DAY)`;
  }
  parseTimestamp(expr: string): string {
    return (
      `COALESCE(SAFE_CAST(${expr} AS TIMESTAMP), SAFE.PARSE_TIMESTAMP('%Y-%m-%dT%H:%M:%E*S%z', ${expr}), ` +
      `IF(REGEXP_CONTAINS(${expr}, r'^[0-9]{11,13}$'), TIMESTAMP_MILLIS(SAFE_CAST(${expr} AS INT64)), NULL))`
    );
  }
  safeCast(expr: string, type: LogicalType): string {
    if (type === 'json') return expr;
    return `SAFE_CAST(${expr} AS ${this.type(type)})`;
  }
  safeDivide(a: string, b: string): string {
    return `SAFE_DIVIDE(${a}, ${b})`;
  }
  firstNonNullBy(expr: string, orderKeys: readonly string[]): string {
    return `ARRAY_AGG(${expr} IGNORE NULLS ORDER BY ${orderKeys.join(', ')} LIMIT 1)[SAFE_OFFSET(0)]`;
  }
  unnestSplit(expr: string, delimiter: string, alias: string): string {
    return `UNNEST(SPLIT(${expr}, ${this.string(delimiter)})) AS ${this.quoteIdent(alias)}`;
  }
  unnestJsonArray(expr: string, alias: string): string {
    return `UNNEST(JSON_VALUE_ARRAY(${expr})) AS ${this.quoteIdent(alias)}`;
  }

  createSchema(schema: string): string {
    const parts = [...(this.qualifier ? [this.qualifier] : []), schema];
    return `CREATE SCHEMA IF NOT EXISTS ${parts.map((p) => this.quoteIdent(p)).join('.')}`;
  }
  replaceTable(target: RelationName, source: RelationName): string[] {
    // A copy, not a rename: BigQuery cannot rename over an existing table.
    return [
      `CREATE OR REPLACE TABLE ${this.relation(target)} AS SELECT * FROM ${this.relation(source)}`,
      this.dropTable(source),
    ];
  }
  countChanged(a: RelationName, b: RelationName): string {
    return `SELECT COUNT(*) AS changed FROM (SELECT * FROM ${this.relation(a)} EXCEPT DISTINCT SELECT * FROM ${this.relation(b)}) AS d`;
  }
  catalog(schemas: readonly string[]): string {
    // INFORMATION_SCHEMA is per dataset in BigQuery: one branch per schema.
    return schemas
      .map((s) => {
        const ds = this.relation({ schema: s, name: 'INFORMATION_SCHEMA' }).replace(
          /\.`INFORMATION_SCHEMA`$/,
          '.INFORMATION_SCHEMA',
        );
        return (
          `SELECT c.table_schema, c.table_name, t.table_type, c.column_name, c.data_type, c.is_nullable\n` +
          `FROM ${ds}.COLUMNS AS c JOIN ${ds}.TABLES AS t USING (table_schema, table_name)`
        );
      })
      .join('\nUNION ALL\n');
  }
  describeRelation(
    target: RelationName,
    kind: 'table' | 'view',
    description: string | undefined,
    columns: ReadonlyMap<string, string>,
  ): string[] {
    const alter = `${kind === 'view' ? 'ALTER VIEW' : 'ALTER TABLE'} ${this.relation(target)}`;
    return [
      ...(description === undefined
        ? []
        : [`${alter} SET OPTIONS (description = ${this.string(description)})`]),
      ...[...columns].map(
        ([c, text]) =>
          `${alter} ALTER COLUMN ${this.quoteIdent(c)} SET OPTIONS (description = ${this.string(text)})`,
      ),
    ];
  }
  exportToStorage(select: string, uri: string, format: 'parquet' | 'csv'): string {
    const header = format === 'csv' ? ', header = true' : '';
    return `EXPORT DATA OPTIONS (uri = ${this.string(uri)}, format = '${format.toUpperCase()}', overwrite = true${header}) AS ${select}`;
  }
}

/**
 * GoogleSQL escapes for the body of a quoted string or identifier: backslash, the quote, line breaks
 * and tabs, and every other control character as \xNN (a quoted string cannot contain a raw line break).
 */
function escapeBody(text: string, quote: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\u007f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}
