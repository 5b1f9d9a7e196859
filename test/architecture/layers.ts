import { findCycles, type ImportEdge } from './import-graph.js';

/**
 * The direction dependencies may point (BRIEF: cli → config → connectors/registry → connectors/<crm> →
 * {extract, reverse, http} → load → core). Each rule names the importing folder and the folders it
 * must not reach; a violation names both files.
 */
interface Rule {
  readonly from: (file: string) => boolean;
  readonly forbidden: (file: string, from: string) => boolean;
  readonly why: string;
}

const top = (file: string): string => (file.includes('/') ? (file.split('/')[0] as string) : '(root)');
const under =
  (...folders: string[]) =>
  (file: string) =>
    folders.includes(top(file));
/** The CRM folder of a file under connectors/<crm>/, or null for connectors/*.ts. */
const crmOf = (file: string): string | null => {
  const parts = file.split('/');
  return parts[0] === 'connectors' && parts.length > 2 ? (parts[1] as string) : null;
};
const SHIPPED = (file: string): boolean => !['test', 'bench'].includes(top(file));

const RULES: readonly Rule[] = [
  {
    from: under('core'),
    forbidden: (to) => top(to) !== 'core',
    why: 'core/ holds the shared contract types and imports nothing above it',
  },
  {
    from: under('extract', 'load', 'transform', 'reverse', 'http', 'log'),
    forbidden: under('connectors', 'config', 'cli'),
    why: 'the stage engines know connectors only through core/ contracts, and never config/ or cli/',
  },
  {
    from: under('load'),
    forbidden: under('extract', 'transform', 'reverse'),
    why: 'load/ sits below the stages that use it',
  },
  {
    from: under('ops'),
    forbidden: under('connectors', 'config', 'cli'),
    why: 'ops/ (run history, health, report, alerts, schedule) reads what the stages record, never a CRM, the config loader or the CLI',
  },
  {
    from: under('core', 'load', 'extract', 'transform', 'reverse', 'http', 'log'),
    forbidden: under('ops'),
    why: 'the stages report to ops/ through the CLI; they never depend on it',
  },
  {
    from: (file) => crmOf(file) !== null,
    forbidden: (to, from) => crmOf(to) !== null && crmOf(to) !== crmOf(from),
    why: 'each CRM is one folder: what two CRMs share belongs in a lower folder, not in each other',
  },
  {
    from: SHIPPED,
    forbidden: under('test', 'bench'),
    why: 'shipped code never depends on tests or benchmarks',
  },
];

/** Every import that points the wrong way, as `a.ts imports b.ts: why`. */
export function upwardImports(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  for (const edge of edges) {
    for (const rule of RULES) {
      if (rule.from(edge.from) && rule.forbidden(edge.to, edge.from)) {
        out.push(`${edge.from} imports ${edge.to}: ${rule.why}`);
      }
    }
  }
  return out;
}

/** Cycles between files: `a.ts → b.ts → a.ts`. */
export function fileCycles(edges: readonly ImportEdge[]): string[] {
  return findCycles(edges).map((cycle) => cycle.join(' → '));
}

/**
 * Cycles between top-level folders, each with one file import behind every step, so the message
 * says which imports to move: `load → transform (load/a.ts imports transform/b.ts) → load (…)`.
 */
export function folderCycles(edges: readonly ImportEdge[]): string[] {
  const witness = new Map<string, ImportEdge>();
  for (const edge of edges) {
    const key = `${top(edge.from)}\n${top(edge.to)}`;
    if (top(edge.from) !== top(edge.to) && !witness.has(key)) witness.set(key, edge);
  }
  const folderEdges = [...witness.keys()].map((key) => {
    const [from, to] = key.split('\n') as [string, string];
    return { from, to };
  });
  return findCycles(folderEdges).map((cycle) => {
    const steps = cycle.slice(1).map((to, i) => {
      const edge = witness.get(`${cycle[i]}\n${to}`);
      return `${to} (${edge?.from} imports ${edge?.to})`;
    });
    return [cycle[0], ...steps].join(' → ');
  });
}
