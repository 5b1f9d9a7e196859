import { parse } from 'sql-parser-cst';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelsConfigFrom } from '../../config/models-defaults.js';
import type { Logger } from '../../core/logger.js';
import { BigqueryDialect } from '../../load/bigquery/bigquery-dialect.js';
import { rawTableName } from '../../load/warehouse.js';
import { type CompileEnv, compileModel, modelRelations } from '../../transform/compile/compile-model.js';
import { declaredCatalog } from '../../transform/compile/declared-catalog.js';
import { RAW_SYSTEM_COLUMNS } from '../../transform/compile/source-relation.js';
import { BUNDLED_MODELS_DIR, loadProject } from '../../transform/project/load-project.js';
import { planStatements } from '../../transform/run/materialize.js';
import { runModels } from '../../transform/run/run-models.js';
import type { BigqueryDouble } from './bigquery-double.js';
import { startDouble, warehouseOn } from './bigquery-test-client.js';
import type { AnswerField, QueryAnswer } from './bigquery-wire.js';
import type { DoubleQueryJob } from './double-hooks.js';

/**
 * The models on BigQuery: every bundled model compiled through the model runner's BigQuery dialect
 * parses as GoogleSQL, statement by statement and in every materialization state; and the models
 * stage itself runs on the BigQuery warehouse (its execute()/query() against the double), sending
 * BigQuery exactly the SQL the compiler produced.
 */
const project = loadProject(BUNDLED_MODELS_DIR);
const dialect = new BigqueryDialect();
const sources = [
  { name: 'hubspot', kind: 'hubspot' },
  { name: 'salesforce', kind: 'salesforce' },
  { name: 'pipedrive', kind: 'pipedrive' },
];
const config = modelsConfigFrom({});
const runStartedAt = new Date('2024-03-01T10:00:00.000Z');
const env: CompileEnv = {
  dialect,
  relations: modelRelations(project),
  catalog: declaredCatalog(project.declarations, sources),
  sources,
  syncs: [],
  declarations: project.declarations,
  config,
  runId: 'run-1',
  runStartedAt,
};

function statementsOf(sql: string): number {
  return parse(sql, { dialect: 'bigquery', paramTypes: ['?'] }).statements.length;
}

describe('bundled models compiled for BigQuery', () => {
  it('covers every model, and every statement of every materialization parses as GoogleSQL', () => {
    expect(project.models.size).toBeGreaterThan(0);
    const kinds = new Set<string>();
    for (const model of project.models.values()) {
      const fresh = compileModel(model, env, false);
      kinds.add(fresh.config.materialized);
      const plans = [planStatements(fresh, dialect, undefined)];
      if (fresh.config.materialized === 'incremental') {
        // A later run merges into the table that exists.
        const existing = { kind: 'table' as const, columns: [...fresh.config.uniqueKey, 'payload'] };
        plans.push(planStatements(compileModel(model, env, true), dialect, existing));
      }
      for (const statement of plans.flat()) {
        expect(() => statementsOf(statement), `${model.name}: ${statement.slice(0, 120)}`).not.toThrow();
        expect(statementsOf(statement), model.name).toBe(1);
        // Never the DuckDB spelling: double-quoted identifiers or `::` casts.
        expect(statement, model.name).not.toMatch(/::[A-Za-z]|(^|[\s(,.])"[A-Za-z_]+"\./);
      }
      expect(plans[0]?.at(-1) ?? '', model.name).toMatch(
        new RegExp(
          `^CREATE OR REPLACE (TABLE|VIEW) \`${model.schema}\`\\.\`${model.name}(__tide_next)?\` AS\\n|^DROP TABLE`,
        ),
      );
    }
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['incremental', 'iterative', 'table']));
  });
});

describe('the models stage on the BigQuery warehouse', () => {
  let double: BigqueryDouble;
  beforeEach(async () => {
    double = await startDouble();
  });
  afterEach(async () => {
    await double.close();
  });

  const silent: Logger = {
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    debug: () => undefined,
  };

  /** A run after the first, told that every model's table exists and tide.model_state holds `state`. */
  const secondRun = (
    warehouse: ReturnType<typeof warehouseOn>,
    state: Map<string, ModelStateRow>,
    at: Date,
  ) => {
    const built = new Map(
      [...project.models.values()].map((m) => [`${m.schema}.${m.name}`, ['record_key', 'payload']]),
    );
    double.hooks.answer = (job) => answer(job, built, state);
    return runModels({ warehouse, project, config, sources, runId: 'run-2', runStartedAt: at, log: silent });
  };

  it('builds every model through execute()/query(), sending exactly the compiled SQL', async () => {
    double.hooks.answer = (job) => answer(job, new Map(), new Map());
    const warehouse = warehouseOn(double);
    await warehouse.init();
    const summary = await runModels({
      warehouse,
      project,
      config,
      sources,
      runId: 'run-1',
      runStartedAt,
      log: silent,
    });
    expect(summary.results.filter((r) => r.status !== 'success')).toEqual([]);
    expect(summary.status).toBe('ok');
    const executed = double.queryJobs.filter((j) => j.labels.tide === 'execute').map((j) => j.sql);
    for (const model of project.models.values()) {
      const compiled = compileModel(model, env, false);
      expect(
        executed.some((sql) => sql.includes(compiled.select)),
        model.name,
      ).toBe(true);
    }
    // The versions of every table the models read: one query job for the run, not one per model.
    expect(
      double.queryJobs.filter((j) => / AS k, CAST\(COUNT\(\*\) AS STRING\) AS n/.test(j.sql)),
    ).toHaveLength(1);
    // Every statement passed the double's GoogleSQL parse; each ran as its own job in the EU.
    expect(double.queryJobs.every((j) => j.location === 'EU')).toBe(true);
  });

  it('a second run merges (or appends) incremental models into the tables the catalog reports', async () => {
    const warehouse = warehouseOn(double);
    double.hooks.answer = (job) => answer(job, new Map(), new Map());
    const first = await runModels({
      warehouse,
      project,
      config,
      sources,
      runId: 'run-1',
      runStartedAt,
      log: silent,
    });
    expect(first.status).toBe('ok');
    // What the first run recorded in tide.model_state, and the tables it built, are what BigQuery
    // reports to the second run.
    // Recorded without input versions, as by a Tide from before them: every model is built again.
    const fingerprints = recordedState(double.statements, false);
    expect(fingerprints.size).toBe(project.models.size);
    const summary = await secondRun(warehouse, fingerprints, runStartedAt);
    expect(summary.status).toBe('ok');
    const incremental = [...project.models.values()].filter(
      (m) => compileModel(m, env, false).config.materialized === 'incremental',
    );
    expect(incremental.length).toBeGreaterThan(0);
    for (const model of incremental) {
      // With a unique key the rows are merged on it; without one they are appended.
      const keyed = compileModel(model, env, true).config.uniqueKey.length > 0;
      const target = `\`${model.schema}\`\\.\`${model.name}\``;
      const head = new RegExp(keyed ? `^MERGE (INTO )?${target} AS` : `^INSERT INTO ${target} \\(`);
      expect(
        double.statements.some((s) => head.test(s)),
        `${model.name}: ${head}`,
      ).toBe(true);
    }
    expect(double.statements.some((s) => s.startsWith('MERGE'))).toBe(true);
  });

  it('a run whose models read what their last build read builds nothing', async () => {
    const warehouse = warehouseOn(double);
    double.hooks.answer = (job) => answer(job, new Map(), new Map());
    expect(
      (await runModels({ warehouse, project, config, sources, runId: 'run-1', runStartedAt, log: silent }))
        .status,
    ).toBe('ok');
    const state = recordedState(double.statements, true);
    expect(state.size).toBe(project.models.size);
    const before = double.statements.length;
    const summary = await secondRun(warehouse, state, new Date(runStartedAt.getTime() + 60_000));
    expect(summary.status).toBe('ok');
    expect(summary.results.filter((r) => r.mode !== 'unchanged').map((r) => r.name)).toEqual([]);
    const sent = double.statements.slice(before);
    expect(
      sent.filter((s) => /^(CREATE OR REPLACE|MERGE|INSERT INTO `(staging|analytics)`)/.test(s)),
    ).toEqual([]);
  });
});

/** A tide.model_state row as the double answers it; no input versions = recorded by an older Tide. */
interface ModelStateRow {
  readonly fingerprint: string;
  readonly inputs?: string;
  readonly output?: string;
}

/** What a run wrote into tide.model_state, read back from its INSERT statements. */
function recordedState(statements: readonly string[], withVersions: boolean): Map<string, ModelStateRow> {
  return new Map(
    statements
      .map((sql) =>
        /^INSERT INTO `tide`\.`model_state` .* VALUES \('([^']*)', '[^']*', '[^']*', '([^']*)', '([^']*)', '([^']*)'/s.exec(
          sql,
        ),
      )
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [
        m[1]!,
        withVersions ? { fingerprint: m[2]!, inputs: m[3]!, output: m[4]! } : { fingerprint: m[2]! },
      ]),
  );
}

/**
 * The answers a models run needs from BigQuery: the catalog (INFORMATION_SCHEMA of each dataset,
 * here the declared raw tables, Tide's tables and any `built` model relations), the column map,
 * the model-state table (empty) and row counts.
 */
function answer(
  job: DoubleQueryJob,
  built: ReadonlyMap<string, readonly string[]>,
  fingerprints: ReadonlyMap<string, ModelStateRow>,
): QueryAnswer {
  if (job.labels.tide !== 'query') return {};
  const sql = job.sql;
  const strings = (...names: string[]): AnswerField[] => names.map((name) => ({ name, type: 'STRING' }));
  if (sql.includes('INFORMATION_SCHEMA.COLUMNS')) {
    const rows: Record<string, string>[] = [];
    const add = (schema: string, table: string, columns: readonly string[]) => {
      for (const column of columns) {
        rows.push({ table_schema: schema, table_name: table, table_type: 'BASE TABLE', column_name: column });
      }
    };
    add('tide', 'columns', ['table_name', 'field_name', 'column_name', 'logical_type', 'load_id']);
    for (const [kind, streams] of project.declarations) {
      for (const [stream, columns] of streams) {
        if (kind === 'tide')
          add(
            'tide',
            stream,
            columns.map((c) => c.name),
          );
        for (const source of sources.filter((s) => s.kind === kind)) {
          add('raw', rawTableName(source.name, stream), [
            ...RAW_SYSTEM_COLUMNS.map((c) => c.name),
            ...columns.map((c) => c.name),
          ]);
        }
      }
    }
    for (const [key, columns] of built) add(key.split('.')[0]!, key.split('.')[1]!, columns);
    return { fields: strings('table_schema', 'table_name', 'table_type', 'column_name'), rows };
  }
  if (sql.startsWith('SELECT table_name, field_name, column_name, logical_type FROM')) {
    const rows = [...project.declarations]
      .filter(([kind]) => kind !== 'tide')
      .flatMap(([kind, streams]) =>
        [...streams].flatMap(([stream, columns]) =>
          sources
            .filter((s) => s.kind === kind)
            .flatMap((s) =>
              columns.map((c) => ({
                table_name: rawTableName(s.name, stream),
                field_name: c.field,
                column_name: c.name,
                logical_type: c.type,
              })),
            ),
        ),
      );
    return { fields: strings('table_name', 'field_name', 'column_name', 'logical_type'), rows };
  }
  if (sql.startsWith('SELECT model, fingerprint, inputs_version, output_version, built_at FROM')) {
    const rows = [...fingerprints].map(([model, state]) => ({
      model,
      fingerprint: state.fingerprint,
      inputs_version: state.inputs ?? null,
      output_version: state.output ?? null,
      built_at: state.inputs === undefined ? null : runStartedAt.toISOString(),
    }));
    return { fields: strings('model', 'fingerprint', 'inputs_version', 'output_version', 'built_at'), rows };
  }
  if (/^SELECT '[^']+' AS k, CAST\(COUNT\(\*\) AS STRING\) AS n/.test(sql)) {
    // The input versions of the raw and Tide tables the models read: all empty here.
    const rows = [...sql.matchAll(/SELECT '([^']+)' AS k/g)].map((m) => ({ k: m[1]!, n: '0', v: null }));
    return { fields: strings('k', 'n', 'v'), rows };
  }
  if (sql.includes('AS changed'))
    return { fields: [{ name: 'changed', type: 'INTEGER' }], rows: [{ changed: 0 }] };
  if (sql.includes('COUNT(*) AS n')) return { fields: [{ name: 'n', type: 'INTEGER' }], rows: [{ n: 0 }] };
  throw new Error(`the models test has no answer for: ${sql.slice(0, 200)}`);
}
