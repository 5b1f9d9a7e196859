import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import { rawTableName } from '../../load/warehouse.js';
import { tide } from '../../test/cli/cli-helpers.js';
import { runKilledWhen } from '../../test/faults/reverse-faults.js';
import { type SimulatedSource, simulatedKinds, startSimulated } from '../../test/faults/simulated-sources.js';

/**
 * What every fault scenario runs against: one simulator per connector in the registry (started
 * here, driven through its `/_sim/` control API), Tide as the operator runs it (the CLI, in this
 * process, or in a child process when it is to be killed), and one DuckDB file per run.
 */
export class FaultWorld {
  readonly sims: readonly SimulatedSource[];
  readonly dir: string;
  #files = 0;

  private constructor(sims: readonly SimulatedSource[], dir: string) {
    this.sims = sims;
    this.dir = dir;
  }

  /** `kinds`: only these connectors' simulators (all by default); an unknown kind is an error. */
  static async start(dir: string, scale: number, kinds?: readonly string[]): Promise<FaultWorld> {
    const known = simulatedKinds();
    const unknown = (kinds ?? []).filter((k) => !known.includes(k));
    if (unknown.length > 0)
      throw new Error(`no simulator for ${unknown.join(', ')} (known: ${known.join(', ')})`);
    mkdirSync(dir, { recursive: true });
    const sims: SimulatedSource[] = [];
    for (const kind of kinds ?? known) sims.push(await startSimulated(kind, { scale, seed: 42 }));
    for (const sim of sims)
      for (const [name, value] of Object.entries(sim.sim.env)) process.env[name] = value;
    return new FaultWorld(sims, dir);
  }

  /** Every simulator's credentials, for a child process. */
  get env(): Record<string, string> {
    return Object.assign({}, ...this.sims.map((s) => s.sim.env));
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.sims.map((s) => s.close()));
  }

  /** Sets (or clears, with null) the same fault plan on the given simulators. */
  async faults(
    plan: Record<string, unknown> | null,
    sims: readonly SimulatedSource[] = this.sims,
  ): Promise<void> {
    for (const sim of sims) {
      if (plan === null) await sim.control('DELETE', '/_sim/faults');
      else await sim.control('POST', '/_sim/faults', plan);
    }
  }

  /**
   * A config file for the given sources (all by default) on a fresh DuckDB file (or `db`), with extra
   * top-level settings. Returns the config path and the database path.
   */
  config(
    options: {
      readonly sims?: readonly SimulatedSource[];
      readonly db?: string;
      readonly extra?: Record<string, unknown>;
      readonly syncs?: readonly Record<string, unknown>[];
    } = {},
  ): { file: string; db: string } {
    const n = ++this.#files;
    const db = options.db ?? join(this.dir, `run-${n}.duckdb`);
    const file = join(this.dir, `config-${n}.config.ts`);
    const config = {
      sources: (options.sims ?? this.sims).map((s) => s.configEntry()),
      warehouse: { kind: 'duckdb', path: db },
      syncs: options.syncs ?? [],
      ...options.extra,
    };
    writeFileSync(file, `export default ${JSON.stringify(config, null, 2)};\n`);
    return { file, db };
  }

  /** `tide …` in this process (exit code and output). */
  run(...args: string[]): ReturnType<typeof tide> {
    return tide(...args);
  }

  /** `tide …` in a child process, killed with SIGKILL when `when` says so. */
  runKilled(args: readonly string[], when: () => Promise<boolean>) {
    return runKilledWhen(args, this.env, when, 300_000);
  }
}

/** One raw table as compared with a clean run: its rows, distinct ids, content, and the ids. */
export interface TableSnapshot {
  readonly rows: number;
  readonly distinct: number;
  /** Distinct ids not marked deleted: what the CRM holds live. */
  readonly live: number;
  /** md5 over every row (load bookkeeping columns excluded), in id order. */
  readonly hash: string;
  readonly ids: ReadonlySet<string>;
  /** The newest `_tide_updated_at` (ISO), or null for an empty table. */
  readonly newest: string | null;
  /** md5 like `hash` without `_tide_updated_at`. */
  readonly hashUnstamped: string;
  /** Distinct `_tide_updated_at` values: 1 when the source stamps every record with the run's start. */
  readonly stamps: number;
}

export interface WarehouseSnapshot {
  readonly tables: ReadonlyMap<string, TableSnapshot>;
  /** `source.stream` → cursor value of the newest completed load. */
  readonly cursors: ReadonlyMap<string, string | null>;
}

/** Reads what a run left in a DuckDB file (opened after the run, never while Tide writes it). */
export async function snapshot(db: string): Promise<WarehouseSnapshot> {
  const warehouse = await openDuckdbWarehouse({ path: db });
  try {
    const rows = async (sql: string): Promise<Record<string, unknown>[]> => {
      const out: Record<string, unknown>[] = [];
      for await (const row of warehouse.query(sql)) out.push({ ...row });
      return out;
    };
    const tables = new Map<string, TableSnapshot>();
    const names = await rows(
      `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'raw' ORDER BY 1`,
    );
    for (const { table_name: name } of names) {
      const table = `raw."${String(name)}"`;
      const [stats] = await rows(
        `SELECT count(*)::BIGINT AS n, count(DISTINCT _tide_id)::BIGINT AS d,
                (count(DISTINCT _tide_id) FILTER (WHERE NOT _tide_deleted))::BIGINT AS live,
                md5(coalesce(string_agg(t::VARCHAR, '\n' ORDER BY _tide_id), '')) AS h,
                max(_tide_updated_at) AS newest, count(DISTINCT _tide_updated_at)::BIGINT AS stamps
         FROM (SELECT * EXCLUDE (_tide_loaded_at, _tide_load_id) FROM ${table}) AS t`,
      );
      const [unstamped] = await rows(
        `SELECT md5(coalesce(string_agg(t::VARCHAR, '\n' ORDER BY _tide_id), '')) AS h
         FROM (SELECT * EXCLUDE (_tide_loaded_at, _tide_load_id, _tide_updated_at) FROM ${table}) AS t`,
      );
      const ids = new Set((await rows(`SELECT _tide_id AS id FROM ${table}`)).map((r) => String(r.id)));
      tables.set(String(name), {
        rows: Number(stats?.n ?? 0),
        distinct: Number(stats?.d ?? 0),
        live: Number(stats?.live ?? 0),
        hash: String(stats?.h ?? ''),
        ids,
        newest: stats?.newest === null || stats?.newest === undefined ? null : String(stats.newest),
        hashUnstamped: String(unstamped?.h ?? ''),
        stamps: Number(stats?.stamps ?? 0),
      });
    }
    const cursors = new Map<string, string | null>();
    for (const status of await warehouse.streamStatus()) {
      cursors.set(`${status.source}.${status.stream}`, status.cursor?.value ?? null);
    }
    return { tables, cursors };
  } finally {
    await warehouse.close();
  }
}

/** How a run's warehouse differs from the clean run's: nothing, ideally. */
export interface Difference {
  /** Records (ids) the clean run has and this one lacks. */
  readonly lost: number;
  /** Rows beyond one per id, plus ids the clean run does not have. */
  readonly duplicated: number;
  /** Tables whose content (every column but load bookkeeping) differs. */
  readonly changedTables: readonly string[];
  /** Streams whose cursor differs. */
  readonly changedCursors: readonly string[];
}

export function compare(
  clean: WarehouseSnapshot,
  run: WarehouseSnapshot,
  only?: (table: string) => boolean,
): Difference {
  let lost = 0;
  let duplicated = 0;
  const changedTables: string[] = [];
  for (const [name, want] of clean.tables) {
    if (only && !only(name)) continue;
    const got = run.tables.get(name);
    if (got === undefined) {
      lost += want.distinct;
      changedTables.push(name);
      continue;
    }
    for (const id of want.ids) if (!got.ids.has(id)) lost++;
    for (const id of got.ids) if (!want.ids.has(id)) duplicated++;
    duplicated += got.rows - got.distinct;
    // Records with no time of their own (ActiveCampaign users) carry the run's start as their
    // `_tide_updated_at`: one stamp for the whole clean table. Such a stamp says when a run read
    // them, not what they hold, so it is left out of the comparison.
    const stampedByRun = want.stamps === 1 && got.stamps === 1 && want.rows > 1;
    if (stampedByRun ? got.hashUnstamped !== want.hashUnstamped : got.hash !== want.hash)
      changedTables.push(name);
  }
  // A cursor is where its data is when it equals the clean run's, or (sources whose cursor is the
  // server's clock at the read, as Salesforce's) when it covers the newest record the table holds.
  const changedCursors = [...clean.cursors]
    .filter(([stream]) => {
      const [source = '', name = ''] = stream.split('.');
      return !only || only(rawTableName(source, name));
    })
    .filter(([stream, value]) => {
      const got = run.cursors.get(stream);
      if (got === value) return false;
      const [source = '', name = ''] = stream.split('.');
      const newest = clean.tables.get(rawTableName(source, name))?.newest ?? null;
      const covers = (c: string | null | undefined): boolean =>
        typeof c === 'string' && (newest === null || Date.parse(c) >= Date.parse(newest));
      return !(covers(got) && covers(value));
    })
    .map(([stream]) => stream);
  return { lost, duplicated, changedTables, changedCursors };
}

export function isClean(d: Difference): boolean {
  return d.lost === 0 && d.duplicated === 0 && d.changedTables.length === 0 && d.changedCursors.length === 0;
}
