import { TideError } from '../../core/tide-error.js';
import type { ModelGraph } from './model-graph.js';

/**
 * `--select` syntax: `name` (that model), `name+` (and everything downstream), `+name` (and everything
 * it needs), `+name+` (both); several selectors separated by spaces or commas are unioned. No
 * selector = every model.
 */
export function selectModels(graph: ModelGraph, selectors: readonly string[] | undefined): string[] {
  const parts = (selectors ?? []).flatMap((s) => s.split(/[\s,]+/)).filter((s) => s !== '');
  if (parts.length === 0) return [...graph.order];
  const chosen = new Set<string>();
  for (const part of parts) {
    const m = /^(\+?)([a-z][a-z0-9_]*)(\+?)$/.exec(part);
    if (!m) {
      throw new TideError('config_invalid', `--select ${part}: expected name, name+, +name or +name+`);
    }
    const name = m[2] as string;
    if (!graph.parents.has(name)) {
      throw new TideError('config_invalid', `--select ${part}: no model named "${name}"`, {
        hint: `models: ${graph.order.join(', ')}`,
      });
    }
    chosen.add(name);
    if (m[1]) for (const n of graph.upstream(name)) chosen.add(n);
    if (m[3]) for (const n of graph.downstream(name)) chosen.add(n);
  }
  return graph.ordered(chosen);
}
