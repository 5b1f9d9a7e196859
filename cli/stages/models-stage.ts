import type { PipelineConfig } from '../../config/schema.js';
import { ExitCode } from '../../core/tide-error.js';
import type { ConfiguredSource, ConfiguredSync } from '../../transform/compile/compile-context.js';
import {
  type DataTestSummary,
  describeFailure,
  runDataTests,
} from '../../transform/data-tests/run-data-tests.js';
import type { ModelProject } from '../../transform/project/load-project.js';
import { loadModels } from '../../transform/project/user-models.js';
import { type ModelRunSummary, runModels } from '../../transform/run/run-models.js';
import type { CliContext } from '../cli-context.js';
import type { PipelineSession } from '../pipeline-session.js';
import type { TrackedRun } from '../run-lifecycle.js';
import { formatTable } from './extract-stage.js';
import { writeDatabaseTypes } from './types-stage.js';

export interface ModelsStageOptions {
  readonly select?: readonly string[] | undefined;
  readonly fullRefresh?: boolean;
  /** Run the data tests of the built models afterwards (default true). */
  readonly test?: boolean;
}

/** What the runner needs from the pipeline config. */
export function modelInputs(config: PipelineConfig): {
  project: ModelProject;
  sources: ConfiguredSource[];
  syncs: ConfiguredSync[];
} {
  return {
    project: loadModels(config.models.dir),
    sources: config.sources.map((s) => ({ name: s.name, kind: s.kind })),
    syncs: config.syncs.map((s) => ({ name: s.name, source: s.to.crm, object: s.to.object })),
  };
}

/**
 * The models stage as `tide run` and `tide models run` run it: build the selected models, then run
 * their data tests (skipping models that failed). Exit code 1 when a model fails or an error-severity
 * data test fails; the tables that did build stay built.
 */
export async function modelsStage(
  ctx: CliContext,
  run: TrackedRun,
  options: ModelsStageOptions = {},
): Promise<number> {
  const { session } = run;
  const log = ctx.log.child({ stage: 'models' });
  const { project, sources, syncs } = modelInputs(session.config);
  const common = {
    warehouse: session.warehouse,
    project,
    config: session.config.models,
    sources,
    syncs,
    runId: session.runId,
    runStartedAt: new Date(),
    log,
    ...(options.select ? { select: options.select } : {}),
  };
  const summary = await runModels({
    ...common,
    fullRefresh: options.fullRefresh === true,
    signal: run.signal,
    onModel: (r) =>
      log.debug(r.status, { model: r.name, rows: r.rows, seconds: Number(r.seconds.toFixed(2)) }),
  });
  printModels(ctx, log, summary);
  let tests: DataTestSummary | null = null;
  if (options.test !== false && !run.signal.aborted) {
    const skip = new Set(summary.results.filter((r) => r.status !== 'success').map((r) => r.name));
    tests = await runDataTests({ ...common, skip, reusePasses: session.config.models.skipUnchanged });
    printTests(ctx, tests, log);
  }
  run.tally.models(summary, tests);
  await refreshTypes(ctx, session, project);
  return summary.status === 'ok' && (tests === null || tests.status === 'ok')
    ? ExitCode.ok
    : ExitCode.failure;
}

/**
 * Rewrites the Kysely types file (config models.typesFile) so typed queries follow the models. A
 * failure to write it is reported, never a failed run: the warehouse is what the run is about.
 */
async function refreshTypes(ctx: CliContext, session: PipelineSession, project: ModelProject): Promise<void> {
  const out = session.config.models.typesFile;
  if (out === null) return;
  try {
    await writeDatabaseTypes(session.warehouse, project, out);
    ctx.log.debug(`wrote the Database types to ${out}`);
  } catch (error) {
    ctx.log.warn(
      `could not write the Database types to ${out}: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: 'set models.typesFile in the config (null to stop writing it), or run `tide types --out FILE`',
      },
    );
  }
}

function printModels(ctx: CliContext, log: CliContext['log'], summary: ModelRunSummary): void {
  if (ctx.options.json) {
    log.info('models summary', {
      status: summary.status,
      seconds: summary.seconds,
      models: summary.results,
    });
    return;
  }
  ctx.print(
    formatTable(
      ['model', 'materialized', 'mode', 'status', 'rows', 'time'],
      summary.results.map((r) => [
        r.relation,
        r.iterations === null ? r.materialized : `${r.materialized} (${r.iterations} rounds)`,
        r.mode,
        r.status,
        r.rows === null ? '-' : String(r.rows),
        `${r.seconds.toFixed(2)}s`,
      ]),
    ),
  );
  for (const r of summary.results) {
    if (r.status === 'error' && r.error)
      ctx.print(`${r.name}: ${r.error.message}${r.error.hint ? `\n  hint: ${r.error.hint}` : ''}`);
  }
  const unchanged = summary.results.filter((r) => r.mode === 'unchanged').length;
  const built = summary.results.filter((r) => r.status === 'success').length - unchanged;
  ctx.print(
    `${built}/${summary.results.length} models built${unchanged > 0 ? `, ${unchanged} unchanged since their last build` : ''} in ${summary.seconds.toFixed(1)}s`,
  );
}

export function printTests(ctx: CliContext, tests: DataTestSummary, log = ctx.log): void {
  const failing = tests.results.filter((r) => r.status !== 'pass');
  const reused = tests.results.filter((r) => r.reused === true).length;
  if (ctx.options.json) {
    log.info('data tests summary', { status: tests.status, total: tests.results.length, failing });
    return;
  }
  for (const r of failing)
    ctx.print(`${r.severity === 'warn' && r.status === 'fail' ? 'WARN' : 'FAIL'} ${describeFailure(r)}`);
  ctx.print(
    `${tests.results.length - failing.length}/${tests.results.length} data tests passed${reused > 0 ? ` (${reused} not run again: nothing they read changed since they passed)` : ''}`,
  );
}
