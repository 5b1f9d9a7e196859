import type { RelationName, SqlDialect } from '../dialect/sql-dialect.js';

export interface RelationDescription {
  readonly target: RelationName;
  readonly kind: 'table' | 'view';
  readonly description: string | undefined;
  /** Column → description; columns the relation does not have are left out by the caller. */
  readonly columns: ReadonlyMap<string, string>;
}

/**
 * The statements that write a model's descriptions into the warehouse, so they show wherever the
 * tables are browsed (DuckDB's duckdb_columns().comment, BigQuery's console and INFORMATION_SCHEMA):
 * DuckDB COMMENT ON, BigQuery ALTER … SET OPTIONS (description). Every build replaces the relation,
 * and with it the descriptions, so they are written after each build.
 */
export function describeStatements(dialect: SqlDialect, relation: RelationDescription): string[] {
  const { target, kind } = relation;
  const name = dialect.relation(target);
  const out: string[] = [];
  if (dialect.name === 'duckdb') {
    if (relation.description !== undefined) {
      out.push(
        `COMMENT ON ${kind === 'view' ? 'VIEW' : 'TABLE'} ${name} IS ${dialect.string(relation.description)}`,
      );
    }
    for (const [column, text] of relation.columns) {
      out.push(`COMMENT ON COLUMN ${name}.${dialect.quoteIdent(column)} IS ${dialect.string(text)}`);
    }
    return out;
  }
  const alter = kind === 'view' ? 'ALTER VIEW' : 'ALTER TABLE';
  if (relation.description !== undefined) {
    out.push(`${alter} ${name} SET OPTIONS (description = ${dialect.string(relation.description)})`);
  }
  for (const [column, text] of relation.columns) {
    out.push(
      `${alter} ${name} ALTER COLUMN ${dialect.quoteIdent(column)} SET OPTIONS (description = ${dialect.string(text)})`,
    );
  }
  return out;
}
