import { BigqueryDialect } from './bigquery-dialect.js';

/** The schemas of the Warehouse contract; on BigQuery each is one dataset. */
export type TideSchema = 'raw' | 'tide' | 'staging' | 'analytics';
export const TIDE_SCHEMAS: readonly TideSchema[] = ['raw', 'tide', 'staging', 'analytics'];

/** Maps Tide's schema names onto the configured project's datasets (same names, see bigquery-config.ts). */
export class BigqueryNames {
  readonly projectId: string;
  /** The dialect with every relation qualified by the project: the load path names tables in full. */
  readonly dialect: BigqueryDialect;

  constructor(projectId: string) {
    this.projectId = projectId;
    this.dialect = new BigqueryDialect({ project: projectId });
  }

  /** The dataset id holding a Tide schema. */
  dataset(schema: TideSchema): string {
    return schema;
  }

  /** `project`.`dataset`: the quoted path of a dataset. */
  datasetPath(schema: TideSchema): string {
    return `${this.dialect.quoteIdent(this.projectId)}.${this.dialect.quoteIdent(this.dataset(schema))}`;
  }

  /** `project`.`dataset`.`table`: the quoted, fully qualified path of a table. */
  table(schema: TideSchema, table: string): string {
    return this.dialect.relation({ schema: this.dataset(schema), name: table });
  }
}
