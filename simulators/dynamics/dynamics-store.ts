import type { SimClock } from '../kit/sim-clock.js';
import { createCatalog, type EntityDef } from './dynamics-entities.js';
import { dataverseTime, planSeed, seededCounts, seederFor } from './dynamics-seed.js';
import { DynamicsTable, type Row } from './dynamics-table.js';

/**
 * Where this process's row versions start: microseconds since the epoch, far above every seeded
 * row's version (its index + 1) and above every version an earlier start of the simulator handed out
 * (unless it made more than a thousand changes per millisecond it ran). So a delta token saved
 * against yesterday's demo simulator still means "changes since then" today, like Dataverse's
 * rowversion does across the environment's life.
 */
function firstChangeVersion(): number {
  return Date.now() * 1000;
}

/**
 * The environment's data: one table per entity, a row version counter shared by all of them (as
 * Dataverse's rowversion is), and the simulator clock that stamps createdon/modifiedon. Every write
 * path (Web API, $batch, UpdateMultiple, `/_sim/mutate`) goes through `put` / `remove`.
 */
export class DynamicsStore {
  readonly clock: SimClock;
  readonly catalog: Map<string, EntityDef>;
  readonly #tables = new Map<string, DynamicsTable>();
  readonly #bySet = new Map<string, DynamicsTable>();
  #version = firstChangeVersion();

  constructor(options: { seed: number; universe: number; clock: SimClock }) {
    this.clock = options.clock;
    this.catalog = createCatalog();
    const plan = planSeed(options.seed, options.universe);
    const counts = seededCounts(plan);
    for (const entity of this.catalog.values()) {
      const table = new DynamicsTable(
        entity,
        counts[entity.logicalName] ?? 0,
        seederFor(entity.logicalName, plan),
      );
      this.#tables.set(entity.logicalName, table);
      this.#bySet.set(entity.entitySetName, table);
    }
  }

  get currentVersion(): number {
    return this.#version;
  }

  table(logicalName: string): DynamicsTable | undefined {
    return this.#tables.get(logicalName);
  }

  /** The table behind an entity set name (`contacts`), case-sensitive as Dataverse's routes are. */
  bySet(entitySet: string): DynamicsTable | undefined {
    return this.#bySet.get(entitySet);
  }

  tables(): IterableIterator<DynamicsTable> {
    return this.#tables.values();
  }

  /** Now on the simulator clock, in Dataverse's datetime shape. */
  now(): string {
    return dataverseTime(this.clock.now());
  }

  /**
   * Writes a row: `changes` over its current values (a new row when `index` is null), stamped with
   * modifiedon (the clock, or `at`), createdon on creation, and the next row version. Returns the
   * row's index.
   */
  put(
    table: DynamicsTable,
    index: number | null,
    changes: Readonly<Row>,
    options: { readonly id?: string | null; readonly at?: string } = {},
  ): number {
    const at = options.at ?? this.now();
    const target = index ?? table.allocate(options.id ?? null);
    const current = index === null ? null : table.row(index);
    const row: Row = current === null ? { createdon: at, statecode: 0, statuscode: 1 } : { ...current };
    Object.assign(row, changes);
    row.modifiedon = at;
    if (table.entity.attributes.some((a) => a.logicalName === 'fullname') && !('fullname' in changes)) {
      const full = [row.firstname, row.lastname].filter((v) => typeof v === 'string' && v !== '').join(' ');
      row.fullname = full === '' ? null : full;
    }
    const version = ++this.#version;
    row.versionnumber = version;
    table.write(target, row, version);
    return target;
  }

  remove(table: DynamicsTable, index: number): void {
    table.remove(index, ++this.#version);
  }

  /** Snapshot of every table and the version counter, for atomic change sets. */
  checkpoint(): () => void {
    const version = this.#version;
    const restores = [...this.#tables.values()].map((t) => t.checkpoint());
    return () => {
      this.#version = version;
      for (const restore of restores) restore();
    };
  }
}
