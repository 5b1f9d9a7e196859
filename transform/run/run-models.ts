import { TideError } from '../../core/tide-error.js';
import type { Dialect } from '../../load/dialect/dialect.js';
import { loadCompileEnv, type ModelRunInputs, modelSchemas } from '../compile/compile-env.js';
import { type CompileEnv, compileModel } from '../compile/compile-model.js';
import { ModelGraph } from '../graph/model-graph.js';
import { runInOrder } from '../graph/run-in-order.js';
import { selectModels } from '../graph/select-models.js';
import { columnDescriptions, type ModelDefinition } from '../project/load-project.js';
import type { Materialization } from '../project/model-config.js';
import { InputVersions } from './input-versions.js';
import { materialize } from './materialize.js';
import { ModelState } from './model-state.js';
import { type BuildPlan, planBuild, prefetchInputVersions } from './plan-build.js';
import { logModelRuns } from './run-log.js';
import { applyRunSettings } from './run-settings.js';

export interface RunModelsOptions extends ModelRunInputs {
  /** Rebuild incremental models from scratch (except those with full_refresh=false). */
  readonly fullRefresh?: boolean;
  readonly onModel?: (result: ModelResult) => void;
  /** Aborted (SIGTERM): models not started yet are skipped; the ones building finish. */
  readonly signal?: AbortSignal;
}

export interface ModelResult {
  readonly name: string;
  readonly relation: string;
  readonly materialized: Materialization;
  /** `unchanged`: skipped because nothing it reads changed since its last build (its table is current). */
  readonly mode: 'full' | 'incremental' | 'unchanged';
  readonly status: 'success' | 'error' | 'skipped';
  readonly rows: number | null;
  readonly iterations: number | null;
  readonly seconds: number;
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string | undefined };
}

export interface ModelRunSummary {
  readonly status: 'ok' | 'failed';
  readonly results: readonly ModelResult[];
  readonly seconds: number;
}

/**
 * Builds the selected models in ref order, models.concurrency at a time (by default one on DuckDB,
 * several on BigQuery, whose jobs mostly wait). A failing model does not stop the run: models that do not depend on it still build,
 * its dependents are reported as skipped.
 */
export async function runModels(options: RunModelsOptions): Promise<ModelRunSummary> {
  const started = performance.now();
  const { warehouse, project, log } = options;
  const dialect = warehouse.dialect;
  const graph = new ModelGraph(project, dialect.name);
  const selected = selectModels(graph, options.select);
  for (const schema of modelSchemas(project)) await warehouse.execute(dialect.createSchema(schema));
  const restoreSettings = await applyRunSettings(warehouse, dialect, log);
  const results: ModelResult[] = [];
  try {
    const state = await ModelState.open(warehouse, dialect);
    const env = await loadCompileEnv(options, dialect);
    const inputs = new InputVersions(options.warehouse, dialect, env.catalog, ['raw', 'tide']);
    await prefetchInputVersions(
      selected.flatMap((name) => project.models.get(name) ?? []),
      env,
      inputs,
    );
    const outputs = new Map<string, string>();
    const broken = new Set<string>();
    await runInOrder(
      graph,
      selected,
      options.config.concurrency ?? dialect.capabilities.modelConcurrency,
      async (name) => {
        const model = project.models.get(name);
        if (!model) return;
        const failedParent = [...(graph.parents.get(name) ?? [])].find((p) => broken.has(p));
        const result =
          options.signal?.aborted === true
            ? skipped(model, 'the run was stopped', 'interrupted')
            : failedParent === undefined
              ? await buildModel(model, { options, env, state, dialect, graph, inputs, outputs })
              : skipped(model, `${failedParent} failed`);
        if (result.status !== 'success') broken.add(name);
        results.push(result);
        options.onModel?.(result);
      },
    );
    // Report in build order, whatever order concurrent builds finished in.
    results.sort((a, b) => selected.indexOf(a.name) - selected.indexOf(b.name));
    await recordRuns(options, results, env.runStartedAt);
  } finally {
    await restoreSettings();
  }
  return {
    status: results.some((r) => r.status !== 'success') ? 'failed' : 'ok',
    results,
    seconds: (performance.now() - started) / 1000,
  };
}

interface BuildDeps {
  readonly options: RunModelsOptions;
  readonly env: CompileEnv;
  readonly state: ModelState;
  readonly dialect: Dialect;
  readonly graph: ModelGraph;
  readonly inputs: InputVersions;
  /** Output version of each model built or found unchanged in this run, for its dependents. */
  readonly outputs: Map<string, string>;
}

/** Builds one model; a failure becomes an error result, never an exception. */
async function buildModel(model: ModelDefinition, deps: BuildDeps): Promise<ModelResult> {
  const { options, env, state, dialect } = deps;
  const t0 = performance.now();
  const target = { schema: model.schema, name: model.name };
  const base = {
    name: model.name,
    relation: `${target.schema}.${target.name}`,
    materialized: model.base.config.materialized,
  };
  const config = model.base.config;
  let mode: ModelResult['mode'] = 'full';
  try {
    const plan: BuildPlan = await planBuild(model, deps);
    const existing = env.catalog.get(target);
    if (plan.unchanged && existing !== undefined) {
      deps.outputs.set(model.name, plan.outputVersion);
      options.log.debug(`model ${model.name}: unchanged since its last build`);
      return {
        ...base,
        mode: 'unchanged',
        status: 'success',
        rows: null,
        iterations: null,
        seconds: (performance.now() - t0) / 1000,
      };
    }
    const rebuild =
      config.fullRefresh &&
      (options.fullRefresh === true || state.fingerprint(model.name) !== plan.fingerprint);
    mode =
      config.materialized === 'incremental' && existing?.kind === 'table' && !rebuild
        ? 'incremental'
        : 'full';
    options.log.debug(`model ${model.name}: ${config.materialized} (${mode})`);
    const built = await materialize(
      compileModel(model, env, mode === 'incremental'),
      dialect,
      options.warehouse,
      existing,
      // A table that is never rebuilt outlives changes to its SQL and to the models it reads.
      { columnsMayHaveChanged: !config.fullRefresh },
    );
    env.catalog.set(target, {
      kind: config.materialized === 'view' ? 'view' : 'table',
      columns: existing?.columns ?? [],
    });
    await describeModel(model, deps, config.materialized === 'view' ? 'view' : 'table');
    await state.record({
      model: model.name,
      relation: base.relation,
      materialized: config.materialized,
      fingerprint: plan.fingerprint,
      inputsVersion: plan.inputsVersion,
      outputVersion: plan.outputVersion,
      runId: options.runId,
      at: env.runStartedAt,
    });
    deps.outputs.set(model.name, plan.outputVersion);
    return {
      ...base,
      mode,
      status: 'success',
      rows: built.rows,
      iterations: built.iterations,
      seconds: (performance.now() - t0) / 1000,
    };
  } catch (error) {
    const tideError = asModelError(error, model.base.file);
    options.log.error(`model ${model.name} failed: ${tideError.message}`, {
      model: model.name,
      code: tideError.code,
    });
    return {
      ...base,
      mode,
      status: 'error',
      rows: null,
      iterations: null,
      seconds: (performance.now() - t0) / 1000,
      error: { code: tideError.code, message: tideError.message, hint: tideError.hint },
    };
  }
}

/** Appends the run's results to tide.model_runs (for `tide docs`); a failure to do so only warns. */
async function recordRuns(
  options: RunModelsOptions,
  results: readonly ModelResult[],
  at: Date,
): Promise<void> {
  try {
    await logModelRuns(
      options.warehouse,
      results.map((r) => ({
        run_id: options.runId,
        model: r.name,
        relation: r.relation,
        materialized: r.materialized,
        mode: r.mode,
        status: r.status,
        rows: r.rows,
        seconds: Math.round(r.seconds * 1000) / 1000,
        error: r.error?.message ?? null,
        built_at: at,
      })),
    );
  } catch (error) {
    options.log.warn(
      `could not record the run in tide.model_runs: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Writes the model's descriptions (its `<name>.json`) into the warehouse. A description the warehouse
 * refuses (a column the model no longer has) is a warning naming it, never a failed build.
 */
async function describeModel(model: ModelDefinition, deps: BuildDeps, kind: 'table' | 'view'): Promise<void> {
  const { options, dialect } = deps;
  const statements = dialect.describeRelation(
    { schema: model.schema, name: model.name },
    kind,
    model.description,
    columnDescriptions(options.project, model),
  );
  if (statements.length === 0) return;
  // All of a model's descriptions in one statement batch (one BigQuery script job, one DuckDB call);
  // only when that is refused, one by one, to name what was refused and write the rest.
  const refused: string[] = [];
  try {
    await options.warehouse.execute(statements.join(';\n'));
  } catch {
    for (const sql of statements) {
      try {
        await options.warehouse.execute(sql);
      } catch (error) {
        refused.push(messageOf(error));
      }
    }
  }
  if (refused.length > 0) {
    options.log.warn(
      `model ${model.name}: ${refused.length} description(s) not written (${model.base.file.replace(/\.sql$/, '.json')})`,
      {
        first: refused[0],
      },
    );
  }
}

function skipped(model: ModelDefinition, why: string, code = 'model_error'): ModelResult {
  return {
    name: model.name,
    relation: `${model.schema}.${model.name}`,
    materialized: model.base.config.materialized,
    mode: 'full',
    status: 'skipped',
    rows: null,
    iterations: null,
    seconds: 0,
    error: { code, message: `skipped: ${why}` },
  };
}

/** Every model failure names the model file; errors from the macros already do. */
function asModelError(error: unknown, file: string): TideError {
  if (error instanceof TideError && error.code === 'model_error') return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TideError('model_error', `${file}: ${message}`, {
    hint: 'run `tide models compile --select <model>` to see the SQL that failed',
    cause: error,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
