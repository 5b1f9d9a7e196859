/** A statement with positional `?` parameters (both DuckDB and BigQuery bind them). */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}
