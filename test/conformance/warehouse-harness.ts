import type { ColumnSpec } from '../../core/column-spec.js';
import type { CursorState } from '../../core/cursor-state.js';
import type { SourceRecord } from '../../core/record.js';
import { type CommitMarks, type LoadResult, rawTableName, type Warehouse } from '../../load/warehouse.js';

/**
 * What a warehouse implementation gives the conformance suite: a way to open it on some storage and
 * to throw the storage away. `persistent` fixtures reopen onto the same data (a DuckDB file, a
 * BigQuery double's dataset), which lets the suite simulate a process crash.
 */
export interface WarehouseFixture {
  readonly persistent: boolean;
  /** Opens the warehouse; init() is the suite's job. */
  open(): Promise<Warehouse>;
  dispose(): Promise<void>;
}

export type WarehouseFixtureFactory = () => Promise<WarehouseFixture>;

/** One behaviour every Warehouse must show: a plain function, so a test can also run it on a broken one. */
export type WarehouseCheck = (h: WarehouseHarness) => Promise<void>;

/** The warehouse under test plus the ability to "restart the process". */
export class WarehouseHarness {
  readonly #fixture: WarehouseFixture;
  #warehouse: Warehouse | null = null;

  constructor(fixture: WarehouseFixture) {
    this.#fixture = fixture;
  }

  get persistent(): boolean {
    return this.#fixture.persistent;
  }

  get warehouse(): Warehouse {
    if (this.#warehouse === null) throw new Error('harness not started');
    return this.#warehouse;
  }

  async start(): Promise<Warehouse> {
    this.#warehouse = await this.#fixture.open();
    await this.#warehouse.init();
    return this.#warehouse;
  }

  /** Closes the warehouse (open packages die with it, like in a crash) and opens it again. */
  async reopen(): Promise<Warehouse> {
    await this.#warehouse?.close();
    return this.start();
  }

  async end(): Promise<void> {
    await this.#warehouse?.close();
    this.#warehouse = null;
    await this.#fixture.dispose();
  }
}

export function rec(
  id: string,
  updatedAt: string,
  fields: Readonly<Record<string, unknown>>,
  deleted = false,
): SourceRecord {
  return { id, updatedAt, deleted, fields };
}

export function cursorAt(value: string, ...ids: string[]): CursorState {
  return { value, ids };
}

export async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** Every row of a stream's raw table, ordered by id. */
export function rawRows(
  warehouse: Warehouse,
  source: string,
  stream: string,
): Promise<Readonly<Record<string, unknown>>[]> {
  return collect(warehouse.query(`SELECT * FROM raw.${rawTableName(source, stream)} ORDER BY _tide_id`));
}

/** One whole package: begin, declare columns, append batches, commit. */
export async function load(
  warehouse: Warehouse,
  target: { source: string; stream: string; replace?: boolean },
  batches: readonly (readonly SourceRecord[])[],
  cursor: CursorState | null,
  columns: readonly ColumnSpec[] = [],
  marks?: CommitMarks,
): Promise<LoadResult> {
  const pkg = await warehouse.beginLoad({
    source: target.source,
    stream: target.stream,
    runId: 'conformance',
    replace: target.replace ?? false,
  });
  await pkg.ensureColumns(columns);
  for (const batch of batches) await pkg.append(batch);
  return pkg.commit(cursor, marks);
}
