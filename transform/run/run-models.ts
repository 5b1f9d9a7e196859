import { TideError } from '../../errors/tide-error.js';
import { loadCompileEnv, type ModelRunInputs, modelSchemas } from '../compile/compile-env.js';
import { compileModel, modelFingerprint } from '../compile/compile-model.js';
import { dialectFor } from '../dialect/dialect-for.js';
import { ModelGraph } from '../graph/model-graph.js';
import { selectModels } from '../graph/select-models.js';
import type { Materialization } from '../project/model-config.js';
import { materialize } from './materialize.js';
import { ModelState } from './model-state.js';

export interface RunModelsOptions extends ModelRunInputs {
  /** Rebuild incremental models from scratch (except those with full_refresh=false). */
  readonly fullRefresh?: boolean;
  readonly onModel?: (result: ModelResult) => void;
}

export interface ModelResult {
  readonly name: string;
  readonly relation: string;
  readonly materialized: Materialization;
  readonly mode: 'full' | 'incremental';
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
 * Builds the selected models in ref order. A failing model does not stop the run: models that do
 * not depend on it still build, its dependents are reported as skipped.
 */
export async function runModels(options: RunModelsOptions): Promise<ModelRunSummary> {
  const started = performance.now();
  const { warehouse, project, log } = options;
  const dialect = dialectFor(warehouse.dialect);
  const graph = new ModelGraph(project, dialect.name);
  const selected = selectModels(graph, options.select);
  for (const schema of modelSchemas(project)) await warehouse.execute(dialect.createSchema(schema));
  const state = await ModelState.open(warehouse, dialect);
  const env = await loadCompileEnv(options, dialect);
  const { catalog } = env;

  const results: ModelResult[] = [];
  const broken = new Set<string>();
  for (const name of selected) {
    const model = project.models.get(name);
    if (!model) continue;
    const t0 = performance.now();
    const target = { schema: model.schema, name };
    const relation = `${target.schema}.${target.name}`;
    const config = model.base.config;
    const failedParent = [...(graph.parents.get(name) ?? [])].find((p) => broken.has(p));
    let result: ModelResult;
    if (failedParent !== undefined) {
      broken.add(name);
      result = {
        name,
        relation,
        materialized: config.materialized,
        mode: 'full',
        status: 'skipped',
        rows: null,
        iterations: null,
        seconds: 0,
        error: { code: 'model_error', message: `skipped: ${failedParent} failed` },
      };
    } else {
      let mode: 'full' | 'incremental' = 'full';
      try {
        const fingerprint = modelFingerprint(model, env);
        const existing = catalog.get(target);
        const changed = state.fingerprint(name) !== fingerprint;
        const rebuild = config.fullRefresh && (options.fullRefresh === true || changed);
        mode =
          config.materialized === 'incremental' && existing?.kind === 'table' && !rebuild
            ? 'incremental'
            : 'full';
        const compiled = compileModel(model, env, mode === 'incremental');
        log.debug(`model ${name}: ${config.materialized} (${mode})`);
        const built = await materialize(compiled, dialect, warehouse, existing);
        catalog.set(target, {
          kind: config.materialized === 'view' ? 'view' : 'table',
          columns: existing?.columns ?? [],
        });
        await state.record({
          model: name,
          relation,
          materialized: config.materialized,
          fingerprint,
          runId: options.runId,
          at: env.runStartedAt,
        });
        result = {
          name,
          relation,
          materialized: config.materialized,
          mode,
          status: 'success',
          rows: built.rows,
          iterations: built.iterations,
          seconds: (performance.now() - t0) / 1000,
        };
      } catch (error) {
        broken.add(name);
        const tideError = asModelError(error, model.base.file);
        log.error(`model ${name} failed: ${tideError.message}`, { code: tideError.code });
        result = {
          name,
          relation,
          materialized: config.materialized,
          mode,
          status: 'error',
          rows: null,
          iterations: null,
          seconds: (performance.now() - t0) / 1000,
          error: { code: tideError.code, message: tideError.message, hint: tideError.hint },
        };
      }
    }
    results.push(result);
    options.onModel?.(result);
  }
  return {
    status: results.some((r) => r.status !== 'success') ? 'failed' : 'ok',
    results,
    seconds: (performance.now() - started) / 1000,
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
