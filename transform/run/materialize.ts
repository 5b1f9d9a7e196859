import { TideError } from '../../core/tide-error.js';
import type { Dialect, RelationName } from '../../load/dialect/dialect.js';
import type { Warehouse } from '../../load/warehouse.js';
import { Catalog, type CatalogRelation } from '../compile/catalog.js';
import type { CompiledModel } from '../compile/compile-model.js';

export interface MaterializeResult {
  readonly rows: number | null;
  /** Rounds an iterative model needed to become stable. */
  readonly iterations: number | null;
}

/** The scratch table an iterative step writes before it replaces the model's state. */
export function nextStateRelation(target: RelationName): RelationName {
  return { schema: target.schema, name: `${target.name}__tide_next` };
}

/**
 * The statements that build a model, in order. For an iterative model: the seed, then ONE round of
 * the loop (step into a scratch table, count changed rows, replace) — the runner repeats the round.
 */
export function planStatements(
  model: CompiledModel,
  dialect: Dialect,
  existing: CatalogRelation | undefined,
): string[] {
  const { target } = model;
  switch (model.config.materialized) {
    case 'view':
      return [...clearOtherKind(model, dialect, existing, 'view'), dialect.createView(target, model.select)];
    case 'table':
      return [
        ...clearOtherKind(model, dialect, existing, 'table'),
        dialect.createTableAs(target, model.select),
      ];
    case 'incremental': {
      if (!model.incremental || !existing) {
        return [
          ...clearOtherKind(model, dialect, existing, 'table'),
          dialect.createTableAs(target, model.select),
        ];
      }
      const key = model.config.uniqueKey;
      return [
        key.length > 0
          ? dialect.merge(target, model.select, key, existing.columns)
          : dialect.insert(target, model.select, existing.columns),
      ];
    }
    case 'iterative': {
      const round = iterativeRound(model, dialect);
      return [...iterativeSeed(model, dialect, existing), round.build, round.count, ...round.replace];
    }
  }
}

/** A view cannot be replaced by a table (or the reverse) in one statement: drop the other kind first. */
function clearOtherKind(
  model: CompiledModel,
  dialect: Dialect,
  existing: CatalogRelation | undefined,
  keep: 'table' | 'view',
): string[] {
  if (!existing || existing.kind === keep) return [];
  return [keep === 'table' ? dialect.dropView(model.target) : dialect.dropTable(model.target)];
}

function iterativeSeed(
  model: CompiledModel,
  dialect: Dialect,
  existing: CatalogRelation | undefined,
): string[] {
  return [
    ...clearOtherKind(model, dialect, existing, 'table'),
    dialect.createTableAs(model.target, model.select),
  ];
}

function iterativeRound(
  model: CompiledModel,
  dialect: Dialect,
): { build: string; count: string; replace: string[] } {
  const next = nextStateRelation(model.target);
  return {
    build: dialect.createTableAs(next, model.step ?? ''),
    count: dialect.countChanged(next, model.target),
    replace: dialect.replaceTable(model.target, next),
  };
}

/** The scratch table the new rows of an append-only model land in when its columns may have changed. */
function newRowsRelation(target: RelationName): RelationName {
  return { schema: target.schema, name: `${target.name}__tide_new` };
}

/**
 * Appends (or merges) into a table that is never rebuilt (`full_refresh=false`): the columns of its
 * query may have changed since the table was created (its SQL, or a model it reads, changed). The new rows go to a scratch table first; columns the
 * table lacks are added (typed by the scratch table, so no type is spelt here: a LEFT JOIN … ON FALSE
 * adds them as NULLs to the old rows), columns the model no longer has stay, NULL in new rows. The
 * history is kept, whatever changed.
 */
async function appendWithNewColumns(
  model: CompiledModel,
  dialect: Dialect,
  warehouse: Warehouse,
  existing: CatalogRelation,
): Promise<number> {
  const { target } = model;
  const scratch = newRowsRelation(target);
  const q = (c: string): string => dialect.quoteIdent(c);
  await warehouse.execute(dialect.createTableAs(scratch, model.select));
  try {
    const catalog = await Catalog.load(warehouse, dialect, [target.schema]);
    // Not reported (a catalog lagging behind the CREATE): the table's own columns, as a plain append.
    const reported = catalog.get(scratch)?.columns ?? [];
    const columns = reported.length > 0 ? reported : existing.columns;
    const added = columns.filter((c) => !existing.columns.includes(c));
    if (added.length > 0) {
      const widened = nextStateRelation(target);
      await warehouse.execute(
        dialect.createTableAs(
          widened,
          `SELECT t.*, ${added.map((c) => `n.${q(c)}`).join(', ')} FROM ${dialect.relation(target)} AS t
` + `LEFT JOIN (SELECT ${added.map(q).join(', ')} FROM ${dialect.relation(scratch)} LIMIT 0) AS n ON FALSE`,
        ),
      );
      for (const statement of dialect.replaceTable(target, widened)) await warehouse.execute(statement);
    }
    const rows = `SELECT * FROM ${dialect.relation(scratch)}`;
    const key = model.config.uniqueKey;
    await warehouse.execute(
      key.length > 0 ? dialect.merge(target, rows, key, columns) : dialect.insert(target, rows, columns),
    );
  } finally {
    await warehouse.execute(dialect.dropTable(scratch));
  }
  return scalar(warehouse, dialect.countRows(target), 'n');
}

export interface MaterializeOptions {
  /** The table is kept through any change (`full_refresh=false`): append through appendWithNewColumns. */
  readonly columnsMayHaveChanged?: boolean;
}

export async function materialize(
  model: CompiledModel,
  dialect: Dialect,
  warehouse: Warehouse,
  existing: CatalogRelation | undefined,
  options: MaterializeOptions = {},
): Promise<MaterializeResult> {
  const { target } = model;
  if (
    options.columnsMayHaveChanged === true &&
    model.config.materialized === 'incremental' &&
    model.incremental &&
    existing
  ) {
    return { rows: await appendWithNewColumns(model, dialect, warehouse, existing), iterations: null };
  }
  if (model.config.materialized !== 'iterative') {
    for (const statement of planStatements(model, dialect, existing)) await warehouse.execute(statement);
    const rows =
      model.config.materialized === 'view' ? null : await scalar(warehouse, dialect.countRows(target), 'n');
    return { rows, iterations: null };
  }
  for (const statement of iterativeSeed(model, dialect, existing)) await warehouse.execute(statement);
  const round = iterativeRound(model, dialect);
  for (let i = 1; i <= model.config.maxIterations; i++) {
    await warehouse.execute(round.build);
    const changed = await scalar(warehouse, round.count, 'changed');
    if (changed === 0) {
      await warehouse.execute(dialect.dropTable(nextStateRelation(target)));
      return { rows: await scalar(warehouse, dialect.countRows(target), 'n'), iterations: i };
    }
    for (const statement of round.replace) await warehouse.execute(statement);
  }
  await warehouse.execute(dialect.dropTable(nextStateRelation(target)));
  throw new TideError(
    'model_error',
    `${model.file}: not stable after ${model.config.maxIterations} iterations`,
    {
      hint: 'raise config(max_iterations=…) or check that the step query can only move towards a fixed point',
    },
  );
}

async function scalar(warehouse: Warehouse, sql: string, column: string): Promise<number> {
  for await (const row of warehouse.query(sql)) return Number(row[column]);
  return 0;
}
