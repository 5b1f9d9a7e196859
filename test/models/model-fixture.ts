import { createHash } from 'node:crypto';
import { modelsConfigFrom } from '../../config/models-defaults.js';
import type { LogicalType } from '../../core/column-spec.js';
import type { Logger } from '../../core/logger.js';
import { type DuckdbWarehouse, openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../load/warehouse.js';
import type { ConfiguredSource, ConfiguredSync } from '../../transform/compile/compile-context.js';
import type { ModelsConfigInput } from '../../transform/models-config.js';
import { BUNDLED_MODELS_DIR, loadProject, type ModelProject } from '../../transform/project/load-project.js';
import { type ModelRunSummary, runModels } from '../../transform/run/run-models.js';

export interface FixtureRecord {
  readonly id: string;
  /** Last-modified (ISO); also the record's cursor value. */
  readonly at: string;
  readonly deleted?: boolean;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface FixtureStream {
  readonly source: string;
  readonly stream: string;
  /** CRM field → type; fields not listed load as strings, as the real loader does. */
  readonly types: Readonly<Record<string, LogicalType>>;
  readonly records: readonly FixtureRecord[];
}

export const silentLog = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

export async function openFixtureWarehouse(): Promise<DuckdbWarehouse> {
  const warehouse = await openDuckdbWarehouse({ path: ':memory:' });
  await warehouse.init();
  return warehouse;
}

/** Loads raw records through the real load path (LoadPackage), as an extract would. */
export async function loadStream(
  warehouse: Warehouse,
  stream: FixtureStream,
  runId = 'fixture-run',
): Promise<void> {
  const pkg = await warehouse.beginLoad({
    source: stream.source,
    stream: stream.stream,
    runId,
    replace: false,
  });
  await pkg.ensureColumns(Object.entries(stream.types).map(([name, type]) => ({ name, type })));
  await pkg.append(
    stream.records.map((r) => ({ id: r.id, updatedAt: r.at, deleted: r.deleted === true, fields: r.fields })),
  );
  const newest = stream.records
    .map((r) => r.at)
    .sort()
    .at(-1);
  await pkg.commit(newest === undefined ? null : { value: newest, ids: [] });
}

export async function rows(warehouse: Warehouse, sql: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const row of warehouse.query(sql)) out.push({ ...row });
  return out;
}

/** The customer a record resolved to. */
export async function customerOf(warehouse: Warehouse, recordKey: string): Promise<string> {
  const [row] = await rows(
    warehouse,
    `select customer_id from analytics.customer_sources where record_key = '${recordKey}'`,
  );
  if (!row) throw new Error(`no customer source ${recordKey}`);
  return String(row['customer_id']);
}

/** hash_id as text: the first 15 hex digits of md5(text) (load/dialect/model-sql.ts, hashId). */
export function idText(text: string): string {
  return createHash('md5').update(text).digest('hex').slice(0, 15);
}

export const FIXTURE_SOURCES: readonly ConfiguredSource[] = [
  { name: 'hubspot', kind: 'hubspot' },
  { name: 'salesforce', kind: 'salesforce' },
  { name: 'pipedrive', kind: 'pipedrive' },
  { name: 'activecampaign', kind: 'activecampaign' },
  { name: 'dynamics', kind: 'dynamics' },
];

let bundled: ModelProject | null = null;
export function bundledProject(): ModelProject {
  bundled ??= loadProject(BUNDLED_MODELS_DIR);
  return bundled;
}

export interface BuildOptions {
  readonly config?: ModelsConfigInput;
  readonly sources?: readonly ConfiguredSource[];
  readonly syncs?: readonly ConfiguredSync[];
  readonly runId?: string;
  readonly runStartedAt?: Date;
  readonly select?: readonly string[];
  readonly fullRefresh?: boolean;
  readonly project?: ModelProject;
  readonly log?: Logger;
}

/** Builds the shipped models; throws with every failing model's message when one fails. */
export async function buildModels(
  warehouse: Warehouse,
  options: BuildOptions = {},
): Promise<ModelRunSummary> {
  const summary = await runModels({
    warehouse,
    project: options.project ?? bundledProject(),
    config: modelsConfigFrom(options.config ?? {}),
    sources: options.sources ?? FIXTURE_SOURCES,
    syncs: options.syncs ?? [],
    runId: options.runId ?? 'model-run-1',
    runStartedAt: options.runStartedAt ?? new Date('2024-06-01T00:00:00.000Z'),
    log: options.log ?? silentLog,
    ...(options.select ? { select: options.select } : {}),
    ...(options.fullRefresh ? { fullRefresh: true } : {}),
  });
  const failed = summary.results.filter((r) => r.status === 'error');
  if (failed.length > 0) throw new Error(failed.map((r) => `${r.name}: ${r.error?.message}`).join('\n'));
  return summary;
}
