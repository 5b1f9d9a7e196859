import { createHash } from 'node:crypto';
import {
  type CompiledModel,
  type CompileEnv,
  compileFixed,
  fingerprintOf,
} from '../compile/compile-model.js';
import type { ModelGraph } from '../graph/model-graph.js';
import type { ModelsConfig } from '../models-config.js';
import { columnDescriptions, type ModelDefinition, type ModelProject } from '../project/load-project.js';
import type { InputVersions } from './input-versions.js';
import type { ModelState } from './model-state.js';

/** Another run id and clock: a model whose SQL differs under them reads the run's id or clock. */
const PROBE_CLOCK = { runId: 'clock-probe', runStartedAt: new Date(Date.UTC(2000, 0, 1)) } as const;

export interface PlanDeps {
  readonly options: {
    readonly project: ModelProject;
    readonly config: ModelsConfig;
    readonly fullRefresh?: boolean;
    readonly runId: string;
  };
  readonly env: CompileEnv;
  readonly state: ModelState;
  readonly graph: ModelGraph;
  readonly inputs: InputVersions;
  /** Output version of each model built or found unchanged earlier in this run. */
  readonly outputs: ReadonlyMap<string, string>;
}

export interface BuildPlan {
  readonly fingerprint: string;
  /** Fingerprint, descriptions, the versions of the tables it reads and of the models it refs. */
  readonly inputsVersion: string;
  /** What dependents compare: the inputs version, or for a model reading the clock, one per build. */
  readonly outputVersion: string;
  /** The last build read exactly these inputs (and, for a clock model, is recent enough): skip it. */
  readonly unchanged: boolean;
}

/**
 * Decides whether a model must be built. Its last build is still what a build would write when its SQL
 * and config (the fingerprint), its descriptions, every raw and Tide table it reads and every model
 * it refs are the same as then. A model that reads the run's clock (`run_started_at()`, `run_id()`)
 * would write other rows at another time, so it is rebuilt once its last build is older than
 * `models.clockModelsMaxAgeMinutes`, and every such build is a new version for its dependents
 * (quality_metrics_history appends a measurement when quality_metrics measured again).
 */
export async function planBuild(model: ModelDefinition, deps: PlanDeps): Promise<BuildPlan> {
  const { options, env, state } = deps;
  const { fixed, tables } = reads(model, env, deps.inputs);
  const fingerprint = fingerprintOf(fixed);
  const readsClock = fingerprintOf(compileFixed(model, env, PROBE_CLOCK)) !== fingerprint;
  const parents = [...(deps.graph.parents.get(model.name) ?? [])].sort().map((parent) => {
    // A parent outside this run's selection counts with its last build; never built = always new.
    const version =
      deps.outputs.get(parent) ?? state.build(parent)?.outputVersion ?? `unbuilt:${options.runId}`;
    return `${parent}=${version}`;
  });
  const inputsVersion = digest([
    fingerprint,
    model.description ?? null,
    [...columnDescriptions(options.project, model)],
    await versionsOrNew(deps.inputs, tables, options.runId),
    parents,
  ]);
  const last = state.build(model.name);
  const age = last?.builtAt == null ? null : env.runStartedAt.getTime() - last.builtAt.getTime();
  // A build from a later clock than this run's (a test, a clock set back) is not "recent".
  const recent =
    !readsClock || (age !== null && age >= 0 && age < options.config.clockModelsMaxAgeMinutes * 60_000);
  const unchanged =
    options.config.skipUnchanged &&
    options.fullRefresh !== true &&
    last?.inputsVersion === inputsVersion &&
    last.outputVersion !== null &&
    recent;
  if (unchanged && last.outputVersion !== null) {
    return { fingerprint, inputsVersion, outputVersion: last.outputVersion, unchanged: true };
  }
  return {
    fingerprint,
    inputsVersion,
    outputVersion: readsClock ? digest([inputsVersion, options.runId]) : inputsVersion,
    unchanged: false,
  };
}

/**
 * Reads the versions of every raw and Tide table the models read in one query before the run, so
 * BigQuery runs one job for them rather than one per model that reads a new table. A model that does
 * not compile is left to its own build, which reports the error.
 */
export async function prefetchInputVersions(
  models: readonly ModelDefinition[],
  env: CompileEnv,
  inputs: InputVersions,
): Promise<void> {
  const tables = new Set<string>();
  for (const model of models) {
    try {
      for (const table of reads(model, env, inputs).tables) tables.add(table);
    } catch {
      // Reported by buildModel.
    }
  }
  await versionsOrNew(inputs, [...tables], '');
}

/** A full build of the model compiled with the fixed clock, and the raw and Tide tables it names. */
function reads(
  model: ModelDefinition,
  env: CompileEnv,
  inputs: InputVersions,
): { fixed: CompiledModel; tables: string[] } {
  const fixed = compileFixed(model, env);
  return { fixed, tables: inputs.tablesIn(`${fixed.select}\n${fixed.step ?? ''}`) };
}

/**
 * The tables' versions; when the warehouse cannot tell them, a value no earlier build recorded, so
 * the model is built: skipping is an optimisation and must never stop a build.
 */
async function versionsOrNew(
  inputs: InputVersions,
  tables: readonly string[],
  runId: string,
): Promise<string[]> {
  try {
    return await inputs.versionsOf(tables);
  } catch {
    return [`unknown:${runId}`];
  }
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}
