import type { Source } from '../../../core/source.js';
import { type ExtractSummary, runExtract } from '../../../extract/run-extract.js';
import type { Warehouse } from '../../../load/warehouse.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import { rowsOf } from '../../reverse/warehouse-fixture.js';

/** Extract → load of some streams of a source into a warehouse, as `tide extract` runs it. */
export async function extract(
  warehouse: Warehouse,
  source: Source,
  streams: readonly string[],
  options: { readonly now?: Date; readonly checkpointEvery?: number; readonly log?: MemoryLogger } = {},
): Promise<ExtractSummary> {
  return runExtract({
    runId: `run-${Math.random().toString(36).slice(2)}`,
    warehouse,
    plan: source
      .streams()
      .filter((s) => streams.includes(s.name))
      .map((stream) => ({ source, stream, startDate: null, fullRefresh: false })),
    concurrency: 2,
    checkpointEvery: options.checkpointEvery ?? 1_000,
    log: options.log ?? new MemoryLogger(),
    progress: { page: () => {} },
    ...(options.now ? { now: () => options.now as Date } : {}),
  });
}

/** The raw table of a stream: id → deleted flag. */
export async function tableOf(
  warehouse: Warehouse,
  source: string,
  stream: string,
): Promise<Map<string, boolean>> {
  const rows = await rowsOf(
    warehouse,
    `SELECT _tide_id AS id, _tide_deleted AS deleted FROM raw.${source}__${stream}`,
  );
  return new Map(rows.map((r) => [String(r.id), r.deleted === true]));
}

/** The table equals the CRM: every id, the same deleted flags (deleted rows the CRM no longer has are `true`). */
export function differences(
  table: ReadonlyMap<string, boolean>,
  truth: ReadonlyMap<string, boolean>,
): string[] {
  const out: string[] = [];
  for (const [id, deleted] of truth) {
    if (!table.has(id)) {
      if (!deleted) out.push(`missing ${id}`);
    } else if (table.get(id) !== deleted) out.push(`${id} deleted=${table.get(id)} but ${deleted}`);
  }
  for (const id of table.keys()) if (!truth.has(id)) out.push(`extra ${id}`);
  return out;
}
