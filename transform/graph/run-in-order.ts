import type { ModelGraph } from './model-graph.js';

/**
 * Runs `work` for every selected model once all of its selected parents are done, with at most
 * `concurrency` at a time. Models that are ready together start in build order. Parents that are
 * not selected count as done (they were built by an earlier run).
 */
export async function runInOrder(
  graph: ModelGraph,
  selected: readonly string[],
  concurrency: number,
  work: (name: string) => Promise<void>,
): Promise<void> {
  const inSelection = new Set(selected);
  const waiting = new Set(selected);
  const done = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const ready = (name: string): boolean =>
    [...(graph.parents.get(name) ?? [])].every((p) => !inSelection.has(p) || done.has(p));
  while (waiting.size > 0 || running.size > 0) {
    for (const name of selected) {
      if (running.size >= concurrency) break;
      if (!waiting.has(name) || !ready(name)) continue;
      waiting.delete(name);
      running.set(
        name,
        work(name).finally(() => {
          running.delete(name);
          done.add(name);
        }),
      );
    }
    await Promise.race(running.values());
  }
}
