import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TideError } from '../../core/tide-error.js';
import type { DialectName } from '../../load/dialect/dialect.js';
import { DIALECT_NAMES, isDialectName } from '../../load/dialects.js';
import { normalizeName } from '../../load/normalize-name.js';
import { parseTemplate, type Segment } from '../template/template-parser.js';
import { type DataTestSpec, parseModelTests } from './data-test-spec.js';
import { type IdentityOverride, readIdentityOverrides } from './identity-overrides.js';
import { type ModelConfig, readModelConfig } from './model-config.js';
import { parseSourceDeclarations, type SourceDeclarations } from './source-declarations.js';

/** The models shipped with Tide (used when config models.dir is null). */
export const BUNDLED_MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

export interface ModelVariant {
  /** Path relative to the models folder (a user's folder: prefixed with it), for messages. */
  readonly file: string;
  /** The file's text, as written (docs show it). */
  readonly sql: string;
  readonly segments: readonly Segment[];
  readonly config: ModelConfig;
}

export interface ModelDefinition {
  readonly name: string;
  readonly schema: string;
  readonly base: ModelVariant;
  /** `<name>.<dialect>.sql` files: used instead of the base file on that warehouse. */
  readonly overrides: ReadonlyMap<DialectName, ModelVariant>;
  readonly description: string | undefined;
  /** Column → description, from `<name>.json`, in the file's order (see columnDescriptions). */
  readonly columns: ReadonlyMap<string, string | undefined>;
  /** `describe_like` in `<name>.json`: the model whose column descriptions this one shares. */
  readonly describeLike: string | undefined;
  readonly tests: readonly DataTestSpec[];
  /** Shipped with Tide, or from the user's models folder (config models.dir). */
  readonly origin: ModelOrigin;
}

export type ModelOrigin = 'shipped' | 'user';

export interface ModelProject {
  readonly dir: string;
  readonly models: ReadonlyMap<string, ModelDefinition>;
  readonly declarations: SourceDeclarations;
  /** `identity_overrides.csv`: must_link / cannot_link pairs (none when the file is absent). */
  readonly overrides: readonly IdentityOverride[];
}

/**
 * A model's column descriptions: its own, then those of the model it is described like
 * (`describe_like`) for columns it does not describe itself.
 */
export function columnDescriptions(project: ModelProject, model: ModelDefinition): Map<string, string> {
  const out = new Map<string, string>();
  const like = model.describeLike === undefined ? undefined : project.models.get(model.describeLike);
  for (const source of [model, like]) {
    for (const [column, description] of source?.columns ?? []) {
      if (description !== undefined && !out.has(column)) out.set(column, description);
    }
  }
  return out;
}

export function variantFor(model: ModelDefinition, dialect: DialectName): ModelVariant {
  return model.overrides.get(dialect) ?? model.base;
}

/**
 * Reads a models folder: every `*.sql` is a model named after its file (names are unique across
 * folders); `<name>.json` beside it holds its data tests; `sources.json` at the root declares the raw
 * columns models read. The top folder picks the default schema: `analytics/` → analytics, anything
 * else → staging (config(schema=…) overrides).
 */
export function loadProject(
  dir: string,
  options: { readonly origin?: ModelOrigin; readonly label?: string } = {},
): ModelProject {
  const origin = options.origin ?? 'shipped';
  const label = (file: string): string => (options.label ? `${options.label}/${file}` : file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new TideError('not_found', `models folder not found: ${dir}`, {
      hint: 'set models.dir in pipeline.config.ts, or remove it to use the models shipped with Tide',
    });
  }
  const files = (readdirSync(dir, { recursive: true }) as string[]).map((f) => f.split(sep).join('/')).sort();
  const bases = new Map<string, string>();
  const overrides = new Map<string, Map<DialectName, string>>();
  for (const file of files) {
    if (!file.endsWith('.sql')) continue;
    const stem = basename(file, '.sql');
    const dot = stem.lastIndexOf('.');
    const dialect = dot > 0 ? stem.slice(dot + 1) : null;
    if (dialect !== null) {
      if (!isDialectName(dialect)) {
        throw new TideError(
          'model_error',
          `${label(file)}: unknown dialect "${dialect}" (use ${DIALECT_NAMES.join(' or ')})`,
        );
      }
      const name = stem.slice(0, dot);
      const forName = overrides.get(name) ?? new Map<DialectName, string>();
      forName.set(dialect, file);
      overrides.set(name, forName);
      continue;
    }
    if (!/^[a-z][a-z0-9_]*$/.test(stem)) {
      throw new TideError('model_error', `${label(file)}: model names are lower-case letters, digits and _`);
    }
    const previous = bases.get(stem);
    if (previous)
      throw new TideError(
        'model_error',
        `${label(file)}: a model named "${stem}" already exists (${label(previous)})`,
      );
    bases.set(stem, file);
  }
  for (const [name, byDialect] of overrides) {
    if (!bases.has(name)) {
      throw new TideError(
        'model_error',
        `${label([...byDialect.values()][0] ?? name)}: override without a base model ${name}.sql`,
      );
    }
  }

  const models = new Map<string, ModelDefinition>();
  for (const [name, file] of bases) {
    const base = readVariant(dir, file, label);
    const variants = new Map<DialectName, ModelVariant>();
    for (const [dialect, overrideFile] of overrides.get(name) ?? []) {
      const variant = readVariant(dir, overrideFile, label);
      if (variant.config.materialized !== base.config.materialized) {
        throw new TideError('model_error', `${label(overrideFile)}: materialized must match ${label(file)}`);
      }
      variants.set(dialect, variant);
    }
    const testsFile = join(dirname(file), `${name}.json`);
    const testsPath = join(dir, testsFile);
    const tests = existsSync(testsPath)
      ? parseModelTests(name, parseJson(testsPath, label(testsFile)), label(testsFile))
      : {
          description: undefined,
          describeLike: undefined,
          columns: new Map<string, string | undefined>(),
          tests: [],
        };
    const top = file.includes('/') ? file.slice(0, file.indexOf('/')) : '';
    models.set(name, {
      name,
      schema: base.config.schema ?? (top === 'analytics' ? 'analytics' : 'staging'),
      base,
      overrides: variants,
      description: tests.description,
      describeLike: tests.describeLike,
      columns: tests.columns,
      tests: tests.tests,
      origin,
    });
  }

  const sourcesPath = join(dir, 'sources.json');
  const declarations = existsSync(sourcesPath)
    ? parseSourceDeclarations(
        parseJson(sourcesPath, label('sources.json')),
        label('sources.json'),
        normalizeName,
      )
    : new Map();
  return { dir, models, declarations, overrides: readIdentityOverrides(dir) };
}

function readVariant(dir: string, file: string, label: (file: string) => string): ModelVariant {
  const text = readFileSync(join(dir, file), 'utf8');
  const shown = label(file);
  const segments = parseTemplate(text, shown);
  return { file: shown, sql: text, segments, config: readModelConfig(segments, shown) };
}

function parseJson(path: string, label: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TideError(
      'model_error',
      `${label}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
