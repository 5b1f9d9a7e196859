import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One relative import: `from` imports `to` (both repo-relative paths with `/`). */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out']);

/** Every .ts file under `root` (repo-relative, `/`-separated), outside node_modules and hidden folders. */
export function listTsFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        out.push(relative(root, path).split(sep).join('/'));
      }
    }
  };
  walk(root);
  return out.sort();
}

/**
 * The relative imports of each file: static imports and re-exports (type-only ones too: a type
 * import is still a dependency of the design) and dynamic `import('./x.js')` with a literal path.
 * `./x.js` resolves to `x.ts`, as NodeNext resolution does for TypeScript sources; imports of
 * packages are not edges. TypeScript's own pre-parser reads the files, so comments and strings
 * that merely look like imports are not counted.
 */
export function importEdges(root: string, files: readonly string[]): ImportEdge[] {
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const { importedFiles } = ts.preProcessFile(text, true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = relative(root, resolve(root, dirname(file), fileName.replace(/\.(m?)js$/, '.$1ts')))
        .split(sep)
        .join('/');
      if (known.has(target)) edges.push({ from: file, to: target });
    }
  }
  return edges;
}

/**
 * The cycles of a directed graph: one per strongly connected component with more than one node
 * (or a node importing itself), reported as a concrete path a → b → … → a through that component.
 */
export function findCycles(edges: readonly { from: string; to: string }[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, []);
    if (!next.has(to)) next.set(to, []);
    next.get(from)?.push(to);
  }
  const cycles: string[][] = [];
  for (const component of stronglyConnected(next)) {
    const members = new Set(component);
    const start = component[0];
    if (start === undefined) continue;
    const selfLoop = next.get(start)?.includes(start) ?? false;
    if (component.length === 1 && !selfLoop) continue;
    cycles.push(selfLoop && component.length === 1 ? [start, start] : pathBack(start, next, members));
  }
  return cycles;
}

/** Shortest path start → … → start inside one component (breadth-first). */
function pathBack(
  start: string,
  next: ReadonlyMap<string, string[]>,
  members: ReadonlySet<string>,
): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const to of next.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at) as string) path.push(at);
        return [start, ...path.slice(1).reverse(), start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/** Tarjan's algorithm, iterative (the file graph is deep enough to matter for recursion). */
function stronglyConnected(next: ReadonlyMap<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const root of [...next.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { node: string; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; i: number };
      const targets = next.get(frame.node) ?? [];
      if (frame.i < targets.length) {
        const to = targets[frame.i++] as string;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent)
        low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        out.push(component.sort());
      }
    }
  }
  return out;
}
