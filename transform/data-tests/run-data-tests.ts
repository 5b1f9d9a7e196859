import { loadCompileEnv, type ModelRunInputs } from '../compile/compile-env.js';
import { ModelGraph } from '../graph/model-graph.js';
import { selectModels } from '../graph/select-models.js';
import { logTestResults } from '../run/run-log.js';
import { compileDataTest } from './compile-data-test.js';
import { TestInputs } from './test-inputs.js';

export interface RunDataTestsOptions extends ModelRunInputs {
  /** Models not to test (e.g. they failed to build in this run). */
  readonly skip?: ReadonlySet<string>;
  /** Offending rows to show per failing test. */
  readonly sampleSize?: number;
  /**
   * Reuse the pass of a test whose inputs did not change since it last passed (`tide models run`
   * with models.skipUnchanged); `tide models test` runs every test.
   */
  readonly reusePasses?: boolean;
}

export interface DataTestResult {
  readonly model: string;
  readonly test: string;
  readonly column: string | null;
  readonly severity: 'error' | 'warn';
  /** `error`: the test query itself failed (e.g. a missing column). */
  readonly status: 'pass' | 'fail' | 'error';
  readonly failures: number;
  readonly sample: readonly Readonly<Record<string, unknown>>[];
  readonly message?: string;
  /** A pass reused: nothing the test reads changed since it last passed. */
  readonly reused?: boolean;
}

export interface DataTestSummary {
  readonly status: 'ok' | 'failed';
  readonly results: readonly DataTestResult[];
}

/** Runs the data tests declared next to the selected models; `failed` when an error-severity test fails. */
export async function runDataTests(options: RunDataTestsOptions): Promise<DataTestSummary> {
  const { warehouse, project } = options;
  const dialect = warehouse.dialect;
  const graph = new ModelGraph(project, dialect.name);
  const selected = selectModels(graph, options.select);
  const env = await loadCompileEnv(options, dialect);
  const sampleSize = options.sampleSize ?? 5;
  const results: DataTestResult[] = [];
  const inputs = await TestInputs.open(warehouse, dialect, env);
  const versions = new Map<DataTestResult, string | null>();
  for (const name of selected) {
    if (options.skip?.has(name)) continue;
    for (const spec of project.models.get(name)?.tests ?? []) {
      const base = { model: name, severity: spec.severity };
      let test = spec.kind === 'assert' ? spec.name : spec.kind;
      let column: string | null = spec.kind === 'assert' ? null : spec.column;
      try {
        const compiled = compileDataTest(spec, project, env);
        test = compiled.label;
        column = compiled.column;
        const version = await inputs.versionOf(compiled.sql);
        if (
          options.reusePasses === true &&
          version !== null &&
          inputs.passedWith({ model: name, test, column }, version)
        ) {
          const reused = {
            ...base,
            test,
            column,
            status: 'pass' as const,
            failures: 0,
            sample: [],
            reused: true,
          };
          results.push(reused);
          versions.set(reused, version);
          continue;
        }
        let failures = 0;
        for await (const row of warehouse.query(
          `SELECT COUNT(*) AS failures FROM (\n${compiled.sql}\n) AS t`,
        )) {
          failures = Number(row['failures']);
        }
        const sample: Record<string, unknown>[] = [];
        if (failures > 0) {
          for await (const row of warehouse.query(
            `SELECT * FROM (\n${compiled.sql}\n) AS t LIMIT ${sampleSize}`,
          )) {
            sample.push({ ...row });
          }
        }
        const result: DataTestResult = {
          ...base,
          test,
          column,
          status: failures > 0 ? 'fail' : 'pass',
          failures,
          sample,
        };
        results.push(result);
        versions.set(result, version);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        options.log.error(`data test ${name}.${test} could not run: ${message}`);
        results.push({ ...base, test, column, status: 'error', failures: 0, sample: [], message });
      }
    }
  }
  await recordResults(options, results, versions);
  const failed = results.some((r) => r.status === 'error' || (r.status === 'fail' && r.severity === 'error'));
  return { status: failed ? 'failed' : 'ok', results };
}

/** Appends the results to tide.test_results (for `tide docs`); a failure to do so only warns. */
async function recordResults(
  options: RunDataTestsOptions,
  results: readonly DataTestResult[],
  versions: ReadonlyMap<DataTestResult, string | null>,
): Promise<void> {
  const at = new Date();
  try {
    await logTestResults(
      options.warehouse,
      results.map((r) => ({
        run_id: options.runId,
        model: r.model,
        test: r.test,
        column_name: r.column,
        severity: r.severity,
        status: r.status,
        failures: r.failures,
        message: r.message ?? null,
        tested_at: at,
        inputs_version: versions.get(r) ?? null,
      })),
    );
  } catch (error) {
    options.log.warn(
      `could not record the data tests in tide.test_results: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** "customers.unique(customer_id): 2 offending rows, e.g. {…}" — what a failing test prints. */
export function describeFailure(result: DataTestResult): string {
  if (result.status === 'error')
    return `${result.model}: ${result.test} could not run: ${result.message ?? ''}`;
  const rows = result.sample.map((row) =>
    JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  );
  return `${result.model}.${result.column ?? '*'}: ${result.test} failed on ${result.failures} row(s), e.g.\n    ${rows.join('\n    ')}`;
}
