/** The schemas of the Warehouse contract; on BigQuery each is one dataset. */
export type TideSchema = 'raw' | 'tide' | 'staging' | 'analytics';
export const TIDE_SCHEMAS: readonly TideSchema[] = ['raw', 'tide', 'staging', 'analytics'];

/**
 * GoogleSQL quoted identifier. Inside backticks GoogleSQL uses string-literal escapes (a backtick is
 * `\``, not a doubled backtick as in DuckDB's `""`), so this is not `quoteIdent(name, '`')`.
 */
export function bqIdent(name: string): string {
  return `\`${escapeBody(name, '`')}\``;
}

/** GoogleSQL string literal. */
export function bqString(value: string): string {
  return `'${escapeBody(value, "'")}'`;
}

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

/** Maps Tide's schema names onto the configured project's datasets (same names, see bigquery-config.ts). */
export class BigqueryNames {
  readonly projectId: string;

  constructor(projectId: string) {
    this.projectId = projectId;
  }

  /** The dataset id holding a Tide schema. */
  dataset(schema: TideSchema): string {
    return schema;
  }

  /** `project`.`dataset`: the quoted path of a dataset. */
  datasetPath(schema: TideSchema): string {
    return `${bqIdent(this.projectId)}.${bqIdent(this.dataset(schema))}`;
  }

  /** `project`.`dataset`.`table`: the quoted, fully qualified path of a table. */
  table(schema: TideSchema, table: string): string {
    return `${this.datasetPath(schema)}.${bqIdent(table)}`;
  }
}
