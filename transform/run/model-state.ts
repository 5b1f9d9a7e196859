import type { Warehouse } from '../../load/warehouse.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';

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
  readonly #dialect: SqlDialect;
  readonly #fingerprints: Map<string, string>;

  private constructor(warehouse: Warehouse, dialect: SqlDialect, fingerprints: Map<string, string>) {
    this.#warehouse = warehouse;
    this.#dialect = dialect;
    this.#fingerprints = fingerprints;
  }

  static async open(warehouse: Warehouse, dialect: SqlDialect): Promise<ModelState> {
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
   * Saves the fingerprints of the models built in this run, in two statements for the whole run (a
   * commit per model costs a WAL sync each on DuckDB). A run that dies before this leaves the previous
   * fingerprints: at worst a changed incremental model is rebuilt once more, never merged into wrongly.
   */
  async record(entries: readonly ModelStateEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const d = this.#dialect;
    const names = entries.map((e) => d.string(e.model)).join(', ');
    await this.#warehouse.execute(`DELETE FROM ${d.relation(TABLE)} WHERE model IN (${names})`);
    const values = entries.map(
      (e) =>
        `(${[e.model, e.relation, e.materialized, e.fingerprint, e.runId].map((v) => d.string(v)).join(', ')}, ${d.timestamp(e.at)})`,
    );
    await this.#warehouse.execute(
      `INSERT INTO ${d.relation(TABLE)} (model, relation, materialized, fingerprint, run_id, built_at) VALUES ${values.join(', ')}`,
    );
    for (const e of entries) this.#fingerprints.set(e.model, e.fingerprint);
  }
}
