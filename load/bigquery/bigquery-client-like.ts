import type {
  JobLoadMetadata,
  JobMetadata,
  Query,
  QueryResultsOptions,
  TableMetadata,
} from '@google-cloud/bigquery';

/**
 * The subset of @google-cloud/bigquery that Tide needs: query jobs, load jobs from a local file, job
 * status and result pages, a table's schema. The real `BigQuery` object fits it structurally; tests point the real
 * client at a local HTTP double instead of replacing it, so what is asserted is what the SDK sends.
 */
export interface BigqueryClientLike {
  createQueryJob(options: Query): Promise<readonly [BigqueryJobLike, ...unknown[]]>;
  job(id: string, options?: { location?: string }): BigqueryJobLike;
  dataset(id: string): {
    table(id: string): {
      createLoadJob(
        source: string,
        metadata: JobLoadMetadata,
      ): Promise<readonly [BigqueryJobLike, ...unknown[]]>;
      /** tables.get: the table's current schema (INFORMATION_SCHEMA may lag behind a change). */
      getMetadata(): Promise<readonly [TableMetadata, ...unknown[]]>;
    };
  };
}

export interface BigqueryJobLike {
  readonly id?: string | undefined;
  metadata?: JobMetadata;
  getMetadata(): Promise<readonly [JobMetadata, ...unknown[]]>;
  getQueryResults(options?: QueryResultsOptions): Promise<readonly [readonly unknown[], ...unknown[]]>;
}
