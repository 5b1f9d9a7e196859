import { parse } from 'sql-parser-cst';
import { describe, expect, it } from 'vitest';
import { defaultModelsConfig } from '../../config/models-defaults.js';
import { BigqueryDialect } from '../../load/bigquery/bigquery-dialect.js';
import { Catalog } from '../../transform/compile/catalog.js';
import { type CompileEnv, compileModel, modelRelations } from '../../transform/compile/compile-model.js';
import { declaredCatalog } from '../../transform/compile/declared-catalog.js';
import { compileDataTest } from '../../transform/data-tests/compile-data-test.js';
import { ModelGraph } from '../../transform/graph/model-graph.js';
import { planStatements } from '../../transform/run/materialize.js';
import { bundledProject, FIXTURE_SOURCES } from './model-fixture.js';

/** DuckDB spellings that parse as BigQuery but do not exist there: a leak from the DuckDB dialect. */
const DUCKDB_ONLY = new Set([
  'json_extract_string',
  'json_extract',
  'regexp_matches',
  'regexp_full_match',
  'arg_min',
  'arg_max',
  'strip_accents',
  'epoch_ms',
  'date_diff',
  'string_split',
  'md5_number',
  'list',
  'try_cast',
  'to_timestamp',
  'levenshtein',
  'jaro_winkler_similarity',
]);

/** Names of every function called anywhere in a parsed statement. */
function functionNames(root: unknown): Set<string> {
  const out = new Set<string>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const n = node as Record<string, unknown>;
    const name = (n['name'] as { name?: unknown } | undefined)?.name;
    if (n['type'] === 'func_call' && typeof name === 'string') out.add(name.toLowerCase());
    for (const key in n) stack.push(n[key]);
  }
  return out;
}

function checkBigquery(label: string, sql: string): void {
  let cst: unknown;
  try {
    cst = parse(sql, { dialect: 'bigquery' });
  } catch (error) {
    throw new Error(`${label} does not parse as BigQuery: ${(error as Error).message}\n${sql}`);
  }
  const leaked = [...functionNames(cst)].filter((f) => DUCKDB_ONLY.has(f));
  expect(leaked, `${label} uses DuckDB-only functions`).toEqual([]);
}

describe('every model compiles for BigQuery', () => {
  const project = bundledProject();
  const dialect = new BigqueryDialect({ project: 'acme-analytics' });
  const env = (catalog: Catalog): CompileEnv => ({
    dialect,
    relations: modelRelations(project),
    catalog,
    sources: FIXTURE_SOURCES,
    syncs: [{ name: 'scores_to_hubspot', source: 'hubspot', object: 'contacts' }],
    declarations: project.declarations,
    config: defaultModelsConfig(),
    runId: 'compile',
    runStartedAt: new Date('2024-06-01T00:00:00.000Z'),
  });
  const catalogs = {
    'every source loaded': declaredCatalog(project.declarations, FIXTURE_SOURCES),
    'nothing loaded yet': new Catalog(),
  };

  it('orders the shipped models on BigQuery as on DuckDB', () => {
    expect(new ModelGraph(project, 'bigquery').order).toEqual(new ModelGraph(project, 'duckdb').order);
  });

  for (const [label, catalog] of Object.entries(catalogs)) {
    it(`each full-build and incremental statement parses with the BigQuery grammar (${label})`, () => {
      let statements = 0;
      for (const model of project.models.values()) {
        for (const incremental of [false, true]) {
          const compiled = compileModel(model, env(catalog), incremental);
          const existing = { kind: 'table' as const, columns: ['record_key', 'loaded_at', 'email'] };
          for (const [i, sql] of planStatements(
            compiled,
            dialect,
            incremental ? existing : undefined,
          ).entries()) {
            checkBigquery(
              `${compiled.file} (${incremental ? 'incremental' : 'full'}, statement ${i + 1})`,
              sql,
            );
            statements++;
          }
        }
      }
      expect(statements).toBeGreaterThan(project.models.size * 2);
    });
  }

  it('every data test compiles to a BigQuery query', () => {
    const e = env(catalogs['every source loaded']);
    let tests = 0;
    for (const model of project.models.values()) {
      for (const spec of model.tests) {
        const compiled = compileDataTest(spec, project, e);
        checkBigquery(
          `${model.name} ${compiled.label}`,
          `SELECT COUNT(*) AS failures FROM (\n${compiled.sql}\n) AS t`,
        );
        tests++;
      }
    }
    expect(tests).toBeGreaterThan(30);
  });

  it('the check itself rejects DuckDB SQL', () => {
    const duck = compileModel(
      project.models.get('customers')!,
      { ...env(new Catalog()), dialect: new BigqueryDialect() },
      false,
    );
    expect(() => checkBigquery('fine', duck.select)).not.toThrow();
    expect(() => checkBigquery('cast', 'SELECT x::INT64 FROM t')).toThrow(/does not parse as BigQuery/);
    expect(() => checkBigquery('quotes', 'SELECT "a" FROM "s"."t"')).toThrow(/does not parse as BigQuery/);
    expect(() => checkBigquery('leak', 'SELECT arg_min(a, b), strip_accents(c) FROM t')).toThrow(
      /DuckDB-only/,
    );
  });
});
