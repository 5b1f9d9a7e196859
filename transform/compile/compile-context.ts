import type { Dialect, RelationName } from '../../load/dialect/dialect.js';
import type { ModelsConfig } from '../models-config.js';
import type { IdentityOverride } from '../project/identity-overrides.js';
import type { SourceDeclarations } from '../project/source-declarations.js';
import type { Catalog } from './catalog.js';

/** A source from the pipeline config: its name prefixes raw tables, its kind picks the declarations. */
export interface ConfiguredSource {
  readonly name: string;
  readonly kind: string;
}

/** A reverse-ETL sync from the pipeline config: where it writes (for push failure rates). */
export interface ConfiguredSync {
  readonly name: string;
  /** The config source name of the CRM it writes to. */
  readonly source: string;
  /** The CRM object, as the sync names it (`contacts`, `Contact`). */
  readonly object: string;
}

/** Everything a macro may look at while one model (or one data test) is rendered. */
export interface CompileContext {
  readonly dialect: Dialect;
  /** The file being rendered, relative to the models folder (for `file:line` errors). */
  readonly file: string;
  /** The relation `{{ this }}` names: the model's target (or, in an iterative step, its current state). */
  readonly self: RelationName;
  /** Model name → relation, for `ref()`. */
  readonly relations: ReadonlyMap<string, RelationName>;
  readonly catalog: Catalog;
  readonly sources: readonly ConfiguredSource[];
  readonly syncs: readonly ConfiguredSync[];
  readonly declarations: SourceDeclarations;
  /** The project's identity_overrides.csv pairs; absent = none. */
  readonly overrides?: readonly IdentityOverride[];
  readonly config: ModelsConfig;
  readonly runId: string;
  readonly runStartedAt: Date;
  /** True when this build merges/appends into an existing target instead of rebuilding it. */
  readonly incremental: boolean;
}
