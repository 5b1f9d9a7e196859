import type { Dialect } from '../../load/dialect/dialect.js';
import type { Warehouse } from '../../load/warehouse.js';

const TABLE = { schema: 'tide', name: 'model_state' };

export interface ModelStateEntry {
  readonly model: string;
  readonly relation: string;
  readonly materialized: string;
  readonly fingerprint: string;
  readonly runId: string;
  readonly at: Date;
}

/**
 * `tide.model_state`: one row per model with the fingerprint of its last successful build, so an
 * incremental model is rebuilt (not merged into) when its SQL or config changed.
 */
export class ModelState {
  readonly #warehouse: Warehouse;
  readonly #dialect: Dialect;
  readonly #fingerprints: Map<string, string>;

  private constructor(warehouse: Warehouse, dialect: Dialect, fingerprints: Map<string, string>) {
    this.#warehouse = warehouse;
    this.#dialect = dialect;
    this.#fingerprints = fingerprints;
  }

  static async open(warehouse: Warehouse, dialect: Dialect): Promise<ModelState> {
    const d = dialect;
    const s = d.type('string');
    await warehouse.execute(d.createSchema(TABLE.schema));
    await warehouse.execute(
      `CREATE TABLE IF NOT EXISTS ${d.relation(TABLE)} (model ${s}, relation ${s}, materialized ${s}, fingerprint ${s}, run_id ${s}, built_at ${d.type('timestamp')})`,
    );
    const fingerprints = new Map<string, string>();
    for await (const row of warehouse.query(`SELECT model, fingerprint FROM ${d.relation(TABLE)}`)) {
      fingerprints.set(String(row['model']), String(row['fingerprint']));
    }
    return new ModelState(warehouse, dialect, fingerprints);
  }

  fingerprint(model: string): string | undefined {
    return this.#fingerprints.get(model);
  }

  /**
   * Saves the fingerprint of a model just built (one row per model, written as it finishes, so a run
   * that dies halfway keeps what it built).
   */
  async record(entry: ModelStateEntry): Promise<void> {
    const d = this.#dialect;
    await this.#warehouse.execute(`DELETE FROM ${d.relation(TABLE)} WHERE model = ${d.string(entry.model)}`);
    const values = [entry.model, entry.relation, entry.materialized, entry.fingerprint, entry.runId].map(
      (v) => d.string(v),
    );
    await this.#warehouse.execute(
      `INSERT INTO ${d.relation(TABLE)} (model, relation, materialized, fingerprint, run_id, built_at) VALUES (${values.join(', ')}, ${d.timestamp(entry.at)})`,
    );
    this.#fingerprints.set(entry.model, entry.fingerprint);
  }
}
