import type { Dialect } from '../../load/dialect/dialect.js';
import type { Warehouse } from '../../load/warehouse.js';

const TABLE = { schema: 'tide', name: 'model_state' };

export interface ModelStateEntry {
  readonly model: string;
  readonly relation: string;
  readonly materialized: string;
  readonly fingerprint: string;
  /** What the build read: fingerprint, descriptions and the versions of its inputs (run-models.ts). */
  readonly inputsVersion: string;
  /** What its dependents see of it: changes when its rows may have changed. */
  readonly outputVersion: string;
  readonly runId: string;
  readonly at: Date;
}

/** A model's last successful build, as `tide.model_state` remembers it. */
export interface ModelBuildState {
  readonly fingerprint: string;
  /** Null for a build recorded before Tide kept input versions: it is rebuilt once. */
  readonly inputsVersion: string | null;
  readonly outputVersion: string | null;
  readonly builtAt: Date | null;
}

/**
 * `tide.model_state`: one row per model with the fingerprint of its last successful build, so an
 * incremental model is rebuilt (not merged into) when its SQL or config changed, and the versions of
 * what it read and what it produced, so a model whose inputs did not change is not built again.
 */
export class ModelState {
  readonly #warehouse: Warehouse;
  readonly #dialect: Dialect;
  readonly #builds: Map<string, ModelBuildState>;

  private constructor(warehouse: Warehouse, dialect: Dialect, builds: Map<string, ModelBuildState>) {
    this.#warehouse = warehouse;
    this.#dialect = dialect;
    this.#builds = builds;
  }

  static async open(warehouse: Warehouse, dialect: Dialect): Promise<ModelState> {
    const d = dialect;
    const s = d.type('string');
    await warehouse.execute(d.createSchema(TABLE.schema));
    await warehouse.execute(
      `CREATE TABLE IF NOT EXISTS ${d.relation(TABLE)} (model ${s}, relation ${s}, materialized ${s}, fingerprint ${s}, run_id ${s}, built_at ${d.type('timestamp')})`,
    );
    // Warehouses from before input versions gain the columns (NULL: rebuilt once, then skipped).
    for (const column of ['inputs_version', 'output_version'])
      await warehouse.execute(`ALTER TABLE ${d.relation(TABLE)} ADD COLUMN IF NOT EXISTS ${column} ${s}`);
    return new ModelState(warehouse, dialect, await readBuilds(warehouse, dialect));
  }

  /**
   * The recorded builds, read only (no table created): for readers such as the data tests. Throws
   * when the table does not exist yet.
   */
  static async read(warehouse: Warehouse, dialect: Dialect): Promise<ReadonlyMap<string, ModelBuildState>> {
    return readBuilds(warehouse, dialect);
  }

  fingerprint(model: string): string | undefined {
    return this.#builds.get(model)?.fingerprint;
  }

  build(model: string): ModelBuildState | undefined {
    return this.#builds.get(model);
  }

  /**
   * Saves the fingerprint of a model just built (one row per model, written as it finishes, so a run
   * that dies halfway keeps what it built).
   */
  async record(entry: ModelStateEntry): Promise<void> {
    const d = this.#dialect;
    await this.#warehouse.execute(`DELETE FROM ${d.relation(TABLE)} WHERE model = ${d.string(entry.model)}`);
    const values = [
      entry.model,
      entry.relation,
      entry.materialized,
      entry.fingerprint,
      entry.inputsVersion,
      entry.outputVersion,
      entry.runId,
    ].map((v) => d.string(v));
    await this.#warehouse.execute(
      `INSERT INTO ${d.relation(TABLE)} (model, relation, materialized, fingerprint, inputs_version, output_version, run_id, built_at) VALUES (${values.join(', ')}, ${d.timestamp(entry.at)})`,
    );
    this.#builds.set(entry.model, {
      fingerprint: entry.fingerprint,
      inputsVersion: entry.inputsVersion,
      outputVersion: entry.outputVersion,
      builtAt: entry.at,
    });
  }
}

async function readBuilds(warehouse: Warehouse, d: Dialect): Promise<Map<string, ModelBuildState>> {
  const builds = new Map<string, ModelBuildState>();
  const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  for await (const row of warehouse.query(
    `SELECT model, fingerprint, inputs_version, output_version, built_at FROM ${d.relation(TABLE)}`,
  )) {
    // Both warehouses return timestamps as ISO text with a zone (duckdb-plain-value, BigQuery rows).
    const builtAt = text(row['built_at']);
    const at = builtAt === null ? null : new Date(builtAt);
    builds.set(String(row['model']), {
      fingerprint: String(row['fingerprint']),
      inputsVersion: text(row['inputs_version']),
      outputVersion: text(row['output_version']),
      builtAt: at !== null && !Number.isNaN(at.getTime()) ? at : null,
    });
  }
  return builds;
}
