import { relative, resolve } from 'node:path';
import { BUNDLED_MODELS_DIR, loadProject, type ModelDefinition, type ModelProject } from './load-project.js';
import type { SourceColumn, SourceDeclarations } from './source-declarations.js';

/**
 * The models a run builds: Tide's shipped models, plus the user's folder (config `models.dir`) when
 * there is one. A user model adds to the shipped ones; one named like a shipped model replaces it
 * whole (its SQL, dialect overrides and `<name>.json`: the shipped tests describe the shipped SQL).
 * The user's `sources.json` adds streams and fields to the shipped declarations (a field declared in
 * both takes the user's type). The user's `identity_overrides.csv` adds its pairs to the shipped file's
 * (which ships without any), so corrections live next to the user's models. Nothing needs copying.
 */
export function loadModels(userDir: string | null): ModelProject {
  const shipped = loadProject(BUNDLED_MODELS_DIR);
  if (userDir === null) return shipped;
  const dir = resolve(userDir);
  const user = loadProject(dir, { origin: 'user', label: displayPath(userDir, dir) });
  return withUserModels(shipped, user);
}

export function withUserModels(shipped: ModelProject, user: ModelProject): ModelProject {
  const models = new Map<string, ModelDefinition>(shipped.models);
  for (const [name, model] of user.models) models.set(name, model);
  return {
    dir: user.dir,
    models,
    declarations: mergeDeclarations(shipped.declarations, user.declarations),
    overrides: [...shipped.overrides, ...user.overrides],
  };
}

function mergeDeclarations(shipped: SourceDeclarations, user: SourceDeclarations): SourceDeclarations {
  const out = new Map<string, Map<string, readonly SourceColumn[]>>();
  for (const [kind, streams] of shipped) out.set(kind, new Map(streams));
  for (const [kind, streams] of user) {
    const merged = out.get(kind) ?? new Map<string, readonly SourceColumn[]>();
    for (const [stream, columns] of streams) {
      const byField = new Map((merged.get(stream) ?? []).map((c) => [c.field, c]));
      for (const column of columns) byField.set(column.field, column);
      merged.set(stream, [...byField.values()]);
    }
    out.set(kind, merged);
  }
  return out;
}

/** The folder as the user wrote it when relative, so messages name files the way they know them. */
function displayPath(given: string, absolute: string): string {
  const rel = relative(process.cwd(), absolute);
  return rel === '' ? '.' : rel.startsWith('..') ? given.replace(/\/+$/, '') : rel;
}
