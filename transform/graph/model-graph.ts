import { TideError } from '../../core/tide-error.js';
import type { DialectName } from '../../load/dialect/dialect.js';
import { type ModelProject, variantFor } from '../project/load-project.js';
import { findCalls } from '../template/render-template.js';

interface RefSite {
  readonly to: string;
  readonly file: string;
  readonly line: number;
}

/**
 * Models ordered by their `ref()`s. Building it is where a missing ref or a cycle is reported, with
 * the file and line of every ref involved.
 */
export class ModelGraph {
  /** Model → the models it refs (upstream). */
  readonly parents: ReadonlyMap<string, ReadonlySet<string>>;
  /** Model → the models that ref it (downstream). */
  readonly children: ReadonlyMap<string, ReadonlySet<string>>;
  /** Every model, parents before children; ties broken by name so runs are reproducible. */
  readonly order: readonly string[];

  constructor(project: ModelProject, dialect: DialectName) {
    const sites = new Map<string, RefSite[]>();
    const missing: RefSite[] = [];
    const parents = new Map<string, Set<string>>();
    const children = new Map<string, Set<string>>();
    for (const name of project.models.keys()) {
      parents.set(name, new Set());
      children.set(name, new Set());
    }
    for (const model of project.models.values()) {
      const variant = variantFor(model, dialect);
      const refs: RefSite[] = [];
      for (const call of findCalls(variant.segments, 'ref')) {
        const target = call.args[0];
        if (call.args.length !== 1 || target?.kind !== 'string') {
          throw new TideError(
            'model_error',
            `${variant.file}:${call.line}: ref() takes one quoted model name`,
          );
        }
        if (!project.models.has(target.value)) {
          missing.push({ to: target.value, file: variant.file, line: call.line });
          continue;
        }
        refs.push({ to: target.value, file: variant.file, line: call.line });
        parents.get(model.name)?.add(target.value);
        children.get(target.value)?.add(model.name);
      }
      sites.set(model.name, refs);
    }
    if (missing.length > 0) throw missingRefs(missing, [...project.models.keys()]);
    this.parents = parents;
    this.children = children;
    this.order = topologicalOrder(parents, children, sites);
  }

  /** The models a selection names, in build order. */
  ordered(names: ReadonlySet<string>): string[] {
    return this.order.filter((n) => names.has(n));
  }

  upstream(name: string): Set<string> {
    return walk(name, this.parents);
  }

  downstream(name: string): Set<string> {
    return walk(name, this.children);
  }
}

function walk(start: string, edges: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(edges.get(start) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(edges.get(next) ?? []));
  }
  return seen;
}

function topologicalOrder(
  parents: ReadonlyMap<string, ReadonlySet<string>>,
  children: ReadonlyMap<string, ReadonlySet<string>>,
  sites: ReadonlyMap<string, readonly RefSite[]>,
): string[] {
  const waiting = new Map([...parents].map(([name, set]) => [name, set.size]));
  const ready = [...waiting].filter(([, n]) => n === 0).map(([name]) => name);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort();
    const name = ready.shift() as string;
    order.push(name);
    for (const child of children.get(name) ?? []) {
      const left = (waiting.get(child) ?? 0) - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  if (order.length < parents.size) {
    const cycle = findCycle(new Set([...waiting].filter(([, n]) => n > 0).map(([name]) => name)), sites);
    throw new TideError(
      'model_error',
      `models form a cycle:\n${cycle.map((s) => `  ${s.file}:${s.line} ref('${s.to}')`).join('\n')}`,
      {
        hint: 'a model cannot depend on itself, directly or through others: move the shared logic into its own model',
      },
    );
  }
  return order;
}

/** One cycle among the models left over by the topological sort, as the ref sites that close it. */
function findCycle(stuck: ReadonlySet<string>, sites: ReadonlyMap<string, readonly RefSite[]>): RefSite[] {
  const start = [...stuck].sort()[0] as string;
  const path: RefSite[] = [];
  const seenAt = new Map<string, number>();
  let at = start;
  while (!seenAt.has(at)) {
    seenAt.set(at, path.length);
    const site = (sites.get(at) ?? []).find((s) => stuck.has(s.to));
    if (!site) break;
    path.push(site);
    at = site.to;
  }
  return path.slice(seenAt.get(at) ?? 0);
}

/** Every ref() to a model that does not exist, in one error: fixing them one run at a time is slow. */
function missingRefs(sites: readonly RefSite[], names: readonly string[]): TideError {
  const lines = sites.map((s) => {
    const similar = closest(s.to, names);
    return `  ${s.file}:${s.line} ref('${s.to}')${similar.length > 0 ? ` (did you mean ${similar.join(', ')}?)` : ''}`;
  });
  const distinct = [...new Set(sites.map((s) => s.to))];
  return new TideError(
    'model_error',
    `${distinct.length === 1 ? 'no model named' : `${distinct.length} models do not exist:`} ${distinct.map((n) => `"${n}"`).join(', ')}\n${lines.join('\n')}`,
    {
      hint: 'add the missing models (your models folder adds to the shipped ones), or fix the names in ref()',
    },
  );
}

function closest(name: string, names: readonly string[]): string[] {
  return names
    .filter((n) => n.includes(name) || name.includes(n))
    .sort()
    .slice(0, 3);
}
