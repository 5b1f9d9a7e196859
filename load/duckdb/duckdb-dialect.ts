import type { LogicalType } from '../../core/column-spec.js';
import type {
  Dialect,
  DialectCapabilities,
  JsonRows,
  RelationName,
  RunSettings,
  SqlType,
} from '../dialect/dialect.js';
import { jsonPath } from '../dialect/json-path.js';
import { StandardStatements } from '../dialect/standard-statements.js';

const TYPES: Readonly<Record<SqlType, string>> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  // DOUBLE rather than DECIMAL: CRM number fields carry no reliable precision/scale metadata.
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMPTZ',
  date: 'DATE',
  json: 'JSON',
  int32: 'INTEGER',
  utc_timestamp: 'TIMESTAMP',
};

/** DuckDB: standard string literals (a backslash is literal), so regexes need no raw strings. */
export class DuckdbDialect extends StandardStatements implements Dialect {
  readonly name = 'duckdb' as const;
  readonly capabilities: DialectCapabilities = {
    // A load commit creates the table and adds its columns inside its transaction (duckdb-commit.ts).
    transactionalDdl: true,
    // One DuckDB query already keeps every core busy; two at once only compete for them.
    modelConcurrency: 1,
    // A local insert costs well under a millisecond: reverse ETL saves after every confirmed batch.
    stateFlushRecords: 1,
  };
  protected readonly qualifier = undefined;
  readonly runSettings: RunSettings = {
    values: {
      // One CHECKPOINT at the end instead of one whenever the WAL passes 16 MB (the small tables,
      // under ~120k rows, reach the file through it). Measured with that checkpoint really running:
      // about the same full build as DuckDB's default, but one predictable write at the end.
      checkpoint_threshold: '64GB',
      // That checkpoint would also merge the row groups a parallel CREATE TABLE AS leaves part-full
      // (customers: 6 instead of 5), rewriting them on one thread: 1.7 s of a 14-s full build. The
      // tables keep a few part-full row groups instead; later checkpoints vacuum as usual.
      max_vacuum_tasks: '0',
      // Not changed, measured on the bench: without FSST while the models build, ~5% less CPU but
      // almost twice the models' disk; preserve_insertion_order=false saves nothing.
    },
    read: (name) => `SELECT current_setting(${this.string(name)}) AS v`,
    set: (name, value) => `SET ${name} = ${this.string(value)}`,
    finish: 'CHECKPOINT',
  };

  quoteIdent(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  }
  string(text: string): string {
    return `'${text.replaceAll("'", "''")}'`;
  }
  regex(pattern: string): string {
    return this.string(pattern);
  }
  timestamp(at: Date): string {
    return `TIMESTAMPTZ '${at.toISOString().replace('T', ' ').replace('Z', '+00')}'`;
  }
  type(type: SqlType): string {
    return TYPES[type];
  }
  jsonRows(fields: Readonly<Record<string, Exclude<SqlType, 'json'>>>): JsonRows {
    const entries = Object.entries(fields);
    const schema = JSON.stringify(Object.fromEntries(entries.map(([k, type]) => [k, this.type(type)])));
    return {
      columns: entries.map(([k]) => `j.${k}`),
      from: `(SELECT unnest(from_json(?, ${this.string(`[${schema}]`)}), recursive := true)) AS j`,
    };
  }

  jsonText(expr: string, path: readonly (string | number)[]): string {
    return `json_extract_string(${expr}, ${this.string(jsonPath(path))})`;
  }
  jsonQuery(expr: string, path: readonly (string | number)[]): string {
    return `json_extract(${expr}, ${this.string(jsonPath(path))})`;
  }
  regexReplace(expr: string, pattern: string, replacement: string): string {
    return `regexp_replace(${expr}, ${this.regex(pattern)}, ${this.string(replacement)}, 'g')`;
  }
  regexContains(expr: string, pattern: string): string {
    return `regexp_matches(${expr}, ${this.regex(pattern)})`;
  }
  regexExtract(expr: string, pattern: string): string {
    // DuckDB answers '' where BigQuery answers NULL; NULL is the documented behaviour.
    return `NULLIF(regexp_extract(${expr}, ${this.regex(pattern)}, 1), '')`;
  }
  md5Hex(expr: string): string {
    return `md5(${expr})`;
  }
  hashId(expr: string): string {
    return `CAST('0x' || substr(md5(${expr}), 1, 15) AS BIGINT)`;
  }
  groupHash(expr: string): string {
    // hash() is a UBIGINT; one bit less fits a BIGINT, the type every other key has.
    return `CAST(hash(${expr}) >> 1 AS BIGINT)`;
  }
  idText(expr: string): string {
    return `lower(lpad(hex(${expr}), 15, '0'))`;
  }
  trimWhitespace(expr: string): string {
    return `trim(${expr}, ' ' || chr(9) || chr(10) || chr(13))`;
  }
  splitPart(expr: string, delimiter: string, index: number): string {
    return `split_part(${expr}, ${this.string(delimiter)}, ${Math.trunc(index)})`;
  }
  epochSeconds(expr: string): string {
    return `CAST(floor(epoch(${expr})) AS BIGINT)`;
  }
  editDistance(a: string, b: string): string {
    return `levenshtein(${a}, ${b})`;
  }
  stripAccents(expr: string): string {
    return `strip_accents(${expr})`;
  }
  epochMillis(expr: string): string {
    return `epoch_ms(${expr})`;
  }
  secondsBetween(start: string, end: string): string {
    return `date_diff('second', ${start}, ${end})`;
  }
  addDays(expr: string, days: number): string {
    return `(${expr} + INTERVAL '${Math.trunc(days)} days')`;
  }
  parseTimestamp(expr: string): string {
    return (
      `COALESCE(TRY_CAST(${expr} AS TIMESTAMPTZ), CASE WHEN regexp_full_match(${expr}, '[0-9]{11,13}') ` +
      `THEN to_timestamp(CAST(${expr} AS BIGINT) / 1000.0) END)`
    );
  }
  safeCast(expr: string, type: LogicalType): string {
    if (type === 'json') return expr;
    return `TRY_CAST(${expr} AS ${this.type(type)})`;
  }
  safeDivide(a: string, b: string): string {
    return `(CAST(${a} AS DOUBLE) / NULLIF(${b}, 0))`;
  }
  firstNonNullBy(expr: string, orderKeys: readonly string[]): string {
    // Several keys compare as one row value, left to right.
    const key = orderKeys.length === 1 ? orderKeys[0] : `(${orderKeys.join(', ')})`;
    // DuckDB's arg_min skips rows whose value is NULL (arg_min_null is the one that keeps them), so
    // no FILTER: it would only evaluate the expression a second time.
    return `arg_min(${expr}, ${key})`;
  }
  unnestSplit(expr: string, delimiter: string, alias: string): string {
    return `unnest(string_split(${expr}, ${this.string(delimiter)})) AS ${this.quoteIdent(`${alias}_rows`)}(${this.quoteIdent(alias)})`;
  }
  unnestJsonArray(expr: string, alias: string): string {
    return `unnest(json_extract_string(${expr}, '$[*]')) AS ${this.quoteIdent(`${alias}_rows`)}(${this.quoteIdent(alias)})`;
  }

  createSchema(schema: string): string {
    return `CREATE SCHEMA IF NOT EXISTS ${this.quoteIdent(schema)}`;
  }
  replaceTable(target: RelationName, source: RelationName): string[] {
    return [
      this.dropTable(target),
      `ALTER TABLE ${this.relation(source)} RENAME TO ${this.quoteIdent(target.name)}`,
    ];
  }
  countChanged(a: RelationName, b: RelationName): string {
    return `SELECT COUNT(*) AS changed FROM (SELECT * FROM ${this.relation(a)} EXCEPT SELECT * FROM ${this.relation(b)}) AS d`;
  }
  catalog(schemas: readonly string[]): string {
    return (
      'SELECT c.table_schema, c.table_name, t.table_type, c.column_name, c.data_type, c.is_nullable\n' +
      'FROM information_schema.columns AS c\n' +
      'JOIN information_schema.tables AS t\n' +
      '  ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name\n' +
      `WHERE c.table_catalog = current_database() AND c.table_schema IN (${schemas.map((s) => this.string(s)).join(', ')})\n` +
      'ORDER BY c.table_schema, c.table_name, c.ordinal_position'
    );
  }
  describeRelation(
    target: RelationName,
    kind: 'table' | 'view',
    description: string | undefined,
    columns: ReadonlyMap<string, string>,
  ): string[] {
    const name = this.relation(target);
    return [
      ...(description === undefined
        ? []
        : [`COMMENT ON ${kind === 'view' ? 'VIEW' : 'TABLE'} ${name} IS ${this.string(description)}`]),
      ...[...columns].map(
        ([c, text]) => `COMMENT ON COLUMN ${name}.${this.quoteIdent(c)} IS ${this.string(text)}`,
      ),
    ];
  }
  describeQuery(select: string): string {
    return `DESCRIBE ${select}`;
  }
  writeFile(select: string, path: string, format: 'parquet' | 'csv'): string {
    const options = format === 'parquet' ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER true';
    return `COPY (${select}) TO ${this.string(path)} (${options})`;
  }
}

/** The one DuckDB dialect (it holds no state): every DuckDB warehouse and the load code use it. */
export const duckdbDialect = new DuckdbDialect();
