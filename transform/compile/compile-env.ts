import type { Logger } from '../../core/logger.js';
import type { Dialect } from '../../load/dialect/dialect.js';
import type { Warehouse } from '../../load/warehouse.js';
import type { ModelsConfig } from '../models-config.js';
import type { ModelProject } from '../project/load-project.js';
import { Catalog } from './catalog.js';
import type { ConfiguredSource, ConfiguredSync } from './compile-context.js';
import { type CompileEnv, modelRelations } from './compile-model.js';

/** What building or testing models needs, whoever runs it (CLI, `tide run`, tests, benchmarks). */
export interface ModelRunInputs {
  readonly warehouse: Warehouse;
  readonly project: ModelProject;
  readonly config: ModelsConfig;
  /** Configured sources: which raw tables `source()` may read. */
  readonly sources: readonly ConfiguredSource[];
  /** Reverse-ETL syncs (for push failure rates); none by default. */
  readonly syncs?: readonly ConfiguredSync[];
  readonly runId: string;
  /** "Now" for every model of the run (`run_started_at()`); tests pin it. */
  readonly runStartedAt?: Date;
  /** `--select` selectors; none = every model. */
  readonly select?: readonly string[];
  readonly log: Logger;
}

/** Schemas models may read besides their own: raw CRM tables and Tide's system tables. */
const INPUT_SCHEMAS = ['raw', 'tide'];

export function modelSchemas(project: ModelProject): string[] {
  return [...new Set([...project.models.values()].map((m) => m.schema))].sort();
}

/** The compile environment of one run, with the catalog read from the warehouse. */
export async function loadCompileEnv(inputs: ModelRunInputs, dialect: Dialect): Promise<CompileEnv> {
  return {
    dialect,
    relations: modelRelations(inputs.project),
    catalog: await Catalog.load(inputs.warehouse, dialect, [
      ...INPUT_SCHEMAS,
      ...modelSchemas(inputs.project),
    ]),
    sources: inputs.sources,
    syncs: inputs.syncs ?? [],
    declarations: inputs.project.declarations,
    overrides: inputs.project.overrides,
    config: inputs.config,
    runId: inputs.runId,
    runStartedAt: inputs.runStartedAt ?? new Date(),
  };
}
