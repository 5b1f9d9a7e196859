import { createHash } from 'node:crypto';
import type { Dialect } from '../../load/dialect/dialect.js';
import type { Warehouse } from '../../load/warehouse.js';
import type { CompileEnv } from '../compile/compile-model.js';
import { InputVersions, mentions } from '../run/input-versions.js';
import { ModelState } from '../run/model-state.js';

const RESULTS = { schema: 'tide', name: 'test_results' };

/**
 * What a data test read when it last ran, so a test whose inputs did not change since it passed is
 * not run again (its pass is reused). A test's inputs version is its SQL, the output version
 * (`tide.model_state`) of every model its SQL names and the version of every raw or Tide table it
 * names: the same notion of "unchanged" as the model runner's (transform/run/plan-build.ts). Only
 * passes are reused: a failing test runs again, to show its offending rows.
 */
export class TestInputs {
  readonly #models: ReadonlyMap<string, string | null>;
  readonly #tables: InputVersions;
  readonly #passed: ReadonlyMap<string, string>;

  private constructor(
    models: ReadonlyMap<string, string | null>,
    tables: InputVersions,
    passed: ReadonlyMap<string, string>,
  ) {
    this.#models = models;
    this.#tables = tables;
    this.#passed = passed;
  }

  static async open(warehouse: Warehouse, dialect: Dialect, env: CompileEnv): Promise<TestInputs> {
    // Read only: testing must not create Tide's tables. None yet = no model has a recorded build.
    const builds = await ModelState.read(warehouse, dialect).catch(() => new Map<string, never>());
    const models = new Map<string, string | null>();
    for (const [name, relation] of env.relations)
      models.set(dialect.relation(relation), builds.get(name)?.outputVersion ?? null);
    return new TestInputs(
      models,
      new InputVersions(warehouse, dialect, env.catalog, ['raw', 'tide']),
      await lastPasses(warehouse, dialect),
    );
  }

  /** The test's inputs version; null when a model it reads has no recorded build (never reusable). */
  async versionOf(sql: string): Promise<string | null> {
    const models: string[] = [];
    for (const [text, version] of this.#models) {
      if (!mentions(sql, text)) continue;
      if (version === null) return null;
      models.push(`${text}=${version}`);
    }
    const tables = await this.#tables.versionsOf(this.#tables.tablesIn(sql));
    return createHash('sha256')
      .update(JSON.stringify([sql, models.sort(), tables]))
      .digest('hex')
      .slice(0, 32);
  }

  /** Whether this test last passed with exactly these inputs. */
  passedWith(key: TestKey, version: string): boolean {
    return this.#passed.get(keyOf(key)) === version;
  }
}

export interface TestKey {
  readonly model: string;
  readonly test: string;
  readonly column: string | null;
}

function keyOf(key: TestKey): string {
  return JSON.stringify([key.model, key.test, key.column]);
}

/** The inputs version of each test's latest result, when that result was a pass. */
async function lastPasses(warehouse: Warehouse, d: Dialect): Promise<Map<string, string>> {
  const passed = new Map<string, string>();
  try {
    const sql = `SELECT model, test, column_name, status, inputs_version FROM ${d.relation(RESULTS)}
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (PARTITION BY model, test, column_name ORDER BY tested_at DESC) = 1`;
    for await (const row of warehouse.query(sql)) {
      const version = row['inputs_version'];
      if (row['status'] !== 'pass' || typeof version !== 'string') continue;
      const column = row['column_name'];
      passed.set(
        keyOf({
          model: String(row['model']),
          test: String(row['test']),
          column: typeof column === 'string' ? column : null,
        }),
        version,
      );
    }
  } catch {
    // No result recorded yet (no table, or one from before inputs versions): nothing to reuse.
  }
  return passed;
}
