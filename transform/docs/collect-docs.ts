import type { DialectName } from '../../load/dialect/dialect.js';
import type { WarehouseColumn } from '../../load/kysely/warehouse-columns.js';
import { testLabel } from '../data-tests/compile-data-test.js';
import { ModelGraph } from '../graph/model-graph.js';
import { columnDescriptions, type ModelProject } from '../project/load-project.js';
import type { ModelRunRow, TestResultRow } from '../run/run-log.js';

export interface DocColumn {
  readonly name: string;
  /** The warehouse's type; null when the model was never built. */
  readonly type: string | null;
  readonly description: string | undefined;
}

export interface DocTest {
  readonly label: string;
  readonly severity: 'error' | 'warn';
  /** The last result; null when it never ran. */
  readonly last: { readonly status: string; readonly failures: number; readonly at: string } | null;
}

export interface DocModel {
  readonly name: string;
  readonly schema: string;
  readonly file: string;
  readonly origin: 'shipped' | 'user';
  readonly materialized: string;
  readonly description: string | undefined;
  readonly sql: string;
  /** `<name>.<dialect>.sql` files and their SQL. */
  readonly overrides: readonly { readonly dialect: string; readonly file: string; readonly sql: string }[];
  readonly columns: readonly DocColumn[];
  readonly tests: readonly DocTest[];
  /** The last successful build: rows (null for views), seconds, when. */
  readonly lastBuild: { readonly rows: number | null; readonly seconds: number; readonly at: string } | null;
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
}

/**
 * Everything `tide docs` shows about each model: the project (SQL, descriptions, tests,
 * materialization), the warehouse (column types) and Tide's run log (last build, last test results).
 */
export function collectDocs(
  project: ModelProject,
  dialect: DialectName,
  columns: readonly WarehouseColumn[],
  log: {
    readonly builds: ReadonlyMap<string, ModelRunRow>;
    readonly tests: ReadonlyMap<string, TestResultRow[]>;
  },
): DocModel[] {
  const graph = new ModelGraph(project, dialect);
  const byTable = new Map<string, WarehouseColumn[]>();
  for (const c of columns)
    byTable.set(`${c.schema}.${c.table}`, [...(byTable.get(`${c.schema}.${c.table}`) ?? []), c]);
  return graph.order.map((name) => {
    const model = project.models.get(name)!;
    const descriptions = columnDescriptions(project, model);
    const built = byTable.get(`${model.schema}.${model.name}`);
    // Built: the warehouse's columns in order; never built: the documented ones.
    const docColumns: DocColumn[] = built
      ? built.map((c) => ({ name: c.column, type: c.dataType, description: descriptions.get(c.column) }))
      : [...descriptions].map(([column, description]) => ({ name: column, type: null, description }));
    const results = new Map((log.tests.get(name) ?? []).map((r) => [r.test, r]));
    const build = log.builds.get(name);
    return {
      name,
      schema: model.schema,
      file: model.base.file,
      origin: model.origin,
      materialized: model.base.config.materialized,
      description: model.description,
      sql: model.base.sql,
      overrides: [...model.overrides].map(([d, v]) => ({ dialect: d, file: v.file, sql: v.sql })),
      columns: docColumns,
      tests: model.tests.map((spec) => {
        const label = testLabel(spec);
        const r = results.get(label);
        return {
          label,
          severity: spec.severity,
          last: r ? { status: r.status, failures: Number(r.failures), at: String(r.tested_at) } : null,
        };
      }),
      lastBuild: build
        ? {
            rows: build.rows === null ? null : Number(build.rows),
            seconds: Number(build.seconds),
            at: String(build.built_at),
          }
        : null,
      upstream: [...(graph.parents.get(name) ?? [])].sort(),
      downstream: [...(graph.children.get(name) ?? [])].sort(),
    };
  });
}
