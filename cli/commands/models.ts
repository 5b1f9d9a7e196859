import type { Command } from 'commander';
import { z } from 'zod';
import type { PipelineConfig } from '../../config/schema.js';
import { ExitCode, TideError } from '../../core/tide-error.js';
import { DIALECT_NAMES, dialectNamed } from '../../load/dialects.js';
import { loadCompileEnv } from '../../transform/compile/compile-env.js';
import { type CompileEnv, compileModel, modelRelations } from '../../transform/compile/compile-model.js';
import { declaredCatalog } from '../../transform/compile/declared-catalog.js';
import { runDataTests } from '../../transform/data-tests/run-data-tests.js';
import { ModelGraph } from '../../transform/graph/model-graph.js';
import { selectModels } from '../../transform/graph/select-models.js';
import { planStatements } from '../../transform/run/materialize.js';
import { commandAction } from '../command-action.js';
import { openPipelineSession } from '../pipeline-session.js';
import { trackedRun } from '../run-lifecycle.js';
import { modelInputs, modelsStage, printTests } from '../stages/models-stage.js';

const SelectOptions = z.object({ select: z.array(z.string().min(1)).optional() });
const RunOptions = SelectOptions.extend({
  fullRefresh: z.boolean().default(false),
  test: z.boolean().default(true),
});
const CompileOptions = SelectOptions.extend({ dialect: z.enum(DIALECT_NAMES).optional() });

function parseOptions<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new TideError(
      'config_invalid',
      `invalid options: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  return parsed.data;
}

/** `tide models run|test|compile`: the SQL models (transform/README.md). */
export function registerModels(program: Command): void {
  const models = program.command('models').description('build and test the SQL models (models/*.sql)');

  models
    .command('run')
    .description('build the models in dependency order, then run their data tests')
    .option('-s, --select <selector...>', 'name, name+ (and downstream), +name (and upstream)')
    .option('--full-refresh', 'rebuild incremental models from scratch', false)
    .option('--no-test', 'skip the data tests')
    .action(
      commandAction(async (ctx, raw: unknown) => {
        const options = parseOptions(RunOptions, raw);
        const config = await ctx.config();
        checkSelection(config, options.select);
        return trackedRun(ctx, config, { command: 'models run', session: { sources: false } }, (run) =>
          modelsStage(ctx, run, {
            select: options.select,
            fullRefresh: options.fullRefresh,
            test: options.test,
          }),
        );
      }),
    );

  models
    .command('test')
    .description('run the data tests declared next to the models (<model>.json)')
    .option('-s, --select <selector...>', 'models whose tests to run')
    .action(
      commandAction(async (ctx, raw: unknown) => {
        const options = parseOptions(SelectOptions, raw);
        const config = await ctx.config();
        checkSelection(config, options.select);
        const session = await openPipelineSession(config, ctx.log, {
          sources: false,
          runId: ctx.runId,
          waitSeconds: ctx.options.wait,
        });
        try {
          const inputs = modelInputs(config);
          const tests = await runDataTests({
            warehouse: session.warehouse,
            ...inputs,
            config: config.models,
            runId: session.runId,
            log: ctx.log,
            ...(options.select ? { select: options.select } : {}),
          });
          printTests(ctx, tests);
          return tests.status === 'ok' ? ExitCode.ok : ExitCode.failure;
        } finally {
          await session.close();
        }
      }),
    );

  models
    .command('compile')
    .description('print the SQL each model would run (for another warehouse with --dialect)')
    .option('-s, --select <selector...>', 'models to compile')
    .option('--dialect <dialect>', 'duckdb or bigquery (default: the configured warehouse)')
    .action(
      commandAction(async (ctx, raw: unknown) => {
        const options = parseOptions(CompileOptions, raw);
        const config = await ctx.config();
        const inputs = modelInputs(config);
        const target = options.dialect ?? config.warehouse.kind;
        const session =
          target === config.warehouse.kind
            ? await openPipelineSession(config, ctx.log, {
                sources: false,
                runId: ctx.runId,
                waitSeconds: ctx.options.wait,
              })
            : null;
        const dialect = session?.warehouse.dialect ?? dialectNamed(target);
        try {
          const common = {
            ...inputs,
            config: config.models,
            runId: session?.runId ?? 'compile',
            log: ctx.log,
          };
          // Another warehouse cannot be asked what it holds: assume every declared raw column exists.
          const env: CompileEnv = session
            ? await loadCompileEnv({ ...common, warehouse: session.warehouse }, dialect)
            : {
                dialect,
                relations: modelRelations(inputs.project),
                catalog: declaredCatalog(inputs.project.declarations, inputs.sources),
                sources: inputs.sources,
                syncs: inputs.syncs,
                declarations: inputs.project.declarations,
                overrides: inputs.project.overrides,
                config: config.models,
                runId: common.runId,
                runStartedAt: new Date(),
              };
          const graph = new ModelGraph(inputs.project, dialect.name);
          for (const name of selectModels(graph, options.select)) {
            const model = inputs.project.models.get(name);
            if (!model) continue;
            const compiled = compileModel(model, env, false);
            const statements = planStatements(compiled, dialect, undefined);
            if (ctx.options.json) {
              ctx.log.info('compiled', {
                model: name,
                relation: `${model.schema}.${name}`,
                file: compiled.file,
                materialized: compiled.config.materialized,
                dialect: dialect.name,
                statements,
              });
              continue;
            }
            ctx.print(`-- ${model.schema}.${name} (${compiled.file}, ${compiled.config.materialized})`);
            for (const statement of statements) ctx.print(`${statement};\n`);
          }
          return ExitCode.ok;
        } finally {
          await session?.close();
        }
      }),
    );
}

/** An unknown or malformed --select exits 2 naming the models, before the warehouse is opened. */
function checkSelection(config: PipelineConfig, select: readonly string[] | undefined): void {
  if (select === undefined) return;
  selectModels(new ModelGraph(modelInputs(config).project, config.warehouse.kind), select);
}
