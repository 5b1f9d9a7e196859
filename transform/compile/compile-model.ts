import { createHash } from 'node:crypto';
import { TideError } from '../../core/tide-error.js';
import type { RelationName } from '../../load/dialect/dialect.js';
import { type ModelDefinition, type ModelProject, variantFor } from '../project/load-project.js';
import type { ModelConfig } from '../project/model-config.js';
import { renderSegments } from '../template/render-template.js';
import type { Segment } from '../template/template-parser.js';
import type { CompileContext } from './compile-context.js';

/** What stays the same for every model of one run. */
export type CompileEnv = Omit<CompileContext, 'file' | 'self' | 'incremental'>;

export interface CompiledModel {
  readonly name: string;
  readonly file: string;
  readonly target: RelationName;
  readonly config: ModelConfig;
  readonly incremental: boolean;
  /** The model's query; for an iterative model, its seed query. */
  readonly select: string;
  /** Iterative models: the step query, reading the current state as {{ this }}. */
  readonly step: string | null;
}

export function modelRelations(project: ModelProject): Map<string, RelationName> {
  return new Map([...project.models.values()].map((m) => [m.name, { schema: m.schema, name: m.name }]));
}

export function compileModel(model: ModelDefinition, env: CompileEnv, incremental: boolean): CompiledModel {
  const variant = variantFor(model, env.dialect.name);
  const target = { schema: model.schema, name: model.name };
  const ctx: CompileContext = { ...env, file: variant.file, self: target, incremental };
  const render = (segments: readonly Segment[]): string => renderSegments(segments, ctx).trim();
  if (variant.config.materialized !== 'iterative') {
    return {
      name: model.name,
      file: variant.file,
      target,
      config: variant.config,
      incremental,
      select: render(variant.segments),
      step: null,
    };
  }
  const split = variant.segments.findIndex(
    (s) => s.kind === 'macro' && s.call.name === 'repeat_until_stable',
  );
  if (split < 0) {
    throw new TideError(
      'model_error',
      `${variant.file}: {{ repeat_until_stable() }} must stand on its own, not inside another macro`,
    );
  }
  return {
    name: model.name,
    file: variant.file,
    target,
    config: variant.config,
    incremental: false,
    select: render(variant.segments.slice(0, split)),
    step: render(variant.segments.slice(split + 1)),
  };
}

/** The clock and run id a fingerprint is compiled with, so it does not change from run to run. */
export const FIXED_CLOCK = { runId: '', runStartedAt: new Date(0) } as const;

/** A full build of the model compiled with the given clock and run id (FIXED_CLOCK by default). */
export function compileFixed(
  model: ModelDefinition,
  env: CompileEnv,
  clock: { readonly runId: string; readonly runStartedAt: Date } = FIXED_CLOCK,
): CompiledModel {
  return compileModel(model, { ...env, ...clock }, false);
}

/**
 * Identifies what a full build of the model would do: its SQL compiled with a fixed clock and run id,
 * plus its config. An incremental model whose fingerprint changed is rebuilt, not merged into.
 */
export function modelFingerprint(model: ModelDefinition, env: CompileEnv): string {
  return fingerprintOf(compileFixed(model, env));
}

export function fingerprintOf(compiled: CompiledModel): string {
  return createHash('sha256')
    .update(JSON.stringify([compiled.config, compiled.select, compiled.step]))
    .digest('hex')
    .slice(0, 16);
}
