import type { LogicalType } from '../../core/column-spec.js';
import type { Dialect, RelationName, SqlType } from './dialect.js';

/**
 * The statements DuckDB and BigQuery spell the same way (up to identifier quoting and types), written
 * once. Each dialect extends this and adds its functions and the statements that differ.
 */
export abstract class StandardStatements
  implements
    Pick<
      Dialect,
      | 'createTableAs'
      | 'createView'
      | 'dropTable'
      | 'dropView'
      | 'merge'
      | 'insert'
      | 'countRows'
      | 'emptyRelation'
      | 'relation'
    >
{
  abstract quoteIdent(name: string): string;
  abstract type(type: SqlType): string;
  /** The qualifying prefix of a schema (BigQuery: the project), without a trailing dot. */
  protected abstract readonly qualifier: string | undefined;

  relation(target: RelationName): string {
    return [this.qualifier, target.schema, target.name]
      .filter((p): p is string => p !== undefined)
      .map((p) => this.quoteIdent(p))
      .join('.');
  }
  emptyRelation(columns: readonly { readonly name: string; readonly type: LogicalType }[]): string {
    const list = columns.map((c) => `CAST(NULL AS ${this.type(c.type)}) AS ${this.quoteIdent(c.name)}`);
    return `SELECT ${list.join(', ')} LIMIT 0`;
  }
  createTableAs(target: RelationName, select: string): string {
    return `CREATE OR REPLACE TABLE ${this.relation(target)} AS\n${select}`;
  }
  createView(target: RelationName, select: string): string {
    return `CREATE OR REPLACE VIEW ${this.relation(target)} AS\n${select}`;
  }
  dropTable(target: RelationName): string {
    return `DROP TABLE IF EXISTS ${this.relation(target)}`;
  }
  dropView(target: RelationName): string {
    return `DROP VIEW IF EXISTS ${this.relation(target)}`;
  }
  /** MERGE in the form both DuckDB (1.4+) and BigQuery accept. */
  merge(target: RelationName, select: string, key: readonly string[], columns: readonly string[]): string {
    const q = (c: string): string => this.quoteIdent(c);
    const on = key.map((k) => `t.${q(k)} = s.${q(k)}`).join(' AND ');
    const keys = new Set(key);
    const updates = columns.filter((c) => !keys.has(c)).map((c) => `${q(c)} = s.${q(c)}`);
    const values = columns.map((c) => `s.${q(c)}`).join(', ');
    return (
      `MERGE INTO ${this.relation(target)} AS t\nUSING (\n${select}\n) AS s\nON ${on}\n` +
      (updates.length > 0 ? `WHEN MATCHED THEN UPDATE SET ${updates.join(', ')}\n` : '') +
      `WHEN NOT MATCHED THEN INSERT (${columns.map(q).join(', ')}) VALUES (${values})`
    );
  }
  insert(target: RelationName, select: string, columns: readonly string[]): string {
    const list = columns.map((c) => this.quoteIdent(c)).join(', ');
    return `INSERT INTO ${this.relation(target)} (${list})\nSELECT ${list} FROM (\n${select}\n) AS s`;
  }
  countRows(target: RelationName): string {
    return `SELECT COUNT(*) AS n FROM ${this.relation(target)}`;
  }
}
