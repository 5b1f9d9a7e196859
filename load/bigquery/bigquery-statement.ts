/**
 * A statement plus its query parameters, named (`@name`) or positional (`?`), always with explicit
 * types: BigQuery cannot type a NULL by itself.
 */
export interface BigqueryStatement {
  readonly sql: string;
  readonly params?: Readonly<Record<string, unknown>> | readonly unknown[];
  readonly types?: Readonly<Record<string, BigqueryParamType>> | readonly string[];
}
/** The `types` notation of @google-cloud/bigquery: `'STRING'`, `['STRING']` (array), `[{ a: 'INT64' }]`. */
export type BigqueryParamType = string | readonly string[] | readonly Readonly<Record<string, string>>[];
