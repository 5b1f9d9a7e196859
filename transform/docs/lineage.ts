import type { DialectName } from '../../load/dialect/dialect.js';
import { rawTableName } from '../../load/warehouse.js';
import type { ConfiguredSource } from '../compile/compile-context.js';
import { type ModelProject, variantFor } from '../project/load-project.js';
import { findCalls } from '../template/render-template.js';

export type NodeKind = 'raw' | 'tide' | 'model' | 'sync';

export interface LineageNode {
  /** Unique: `raw.hubspot__contacts`, `model:customers`, `sync:scores_to_hubspot`. */
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  /** A second line: the CRM stream, the model's schema, the sync's target. */
  readonly detail: string;
  /** The model's page, for model nodes. */
  readonly model?: string;
}

export interface LineageGraph {
  readonly nodes: readonly LineageNode[];
  /** [from, to] node ids, upstream first. */
  readonly edges: readonly (readonly [string, string])[];
}

/** A reverse-ETL sync as the lineage needs it: what it reads, where it writes. */
export interface SyncReads {
  readonly name: string;
  readonly target: string;
  /** `schema.table` of a model, or the SQL of `from: { sql }` (models named in it are found). */
  readonly from:
    | { readonly kind: 'model'; readonly model: string }
    | { readonly kind: 'sql'; readonly sql: string };
}

/**
 * From the CRMs' raw tables through every model to the reverse syncs that read them: `source()`
 * calls link a model to the raw table of every configured source of that CRM kind (or to the kind's
 * stream when none is configured), `ref()` calls link models, and a sync links to the model it reads
 * (a `from: { sql }` to every model its SQL names as schema.table).
 */
export function buildLineage(
  project: ModelProject,
  dialect: DialectName,
  sources: readonly ConfiguredSource[],
  syncs: readonly SyncReads[],
): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  const edges = new Set<string>();
  const link = (from: string, to: string): void => {
    edges.add(`${from}\n${to}`);
  };
  for (const model of project.models.values()) {
    const id = `model:${model.name}`;
    nodes.set(id, { id, kind: 'model', label: model.name, detail: model.schema, model: model.name });
  }
  for (const model of project.models.values()) {
    const variant = variantFor(model, dialect);
    for (const call of findCalls(variant.segments, 'ref')) {
      const target = call.args[0];
      if (target?.kind === 'string' && project.models.has(target.value)) {
        link(`model:${target.value}`, `model:${model.name}`);
      }
    }
    for (const call of findCalls(variant.segments, 'source')) {
      const [kind, stream] = call.args;
      if (kind?.kind !== 'string' || stream?.kind !== 'string') continue;
      for (const node of rawNodes(kind.value, stream.value, sources)) {
        nodes.set(node.id, node);
        link(node.id, `model:${model.name}`);
      }
    }
  }
  for (const sync of syncs) {
    const id = `sync:${sync.name}`;
    nodes.set(id, { id, kind: 'sync', label: sync.name, detail: `→ ${sync.target}` });
    for (const model of modelsRead(sync.from, project)) link(`model:${model}`, id);
  }
  return {
    nodes: [...nodes.values()],
    edges: [...edges].map((e) => e.split('\n') as [string, string]),
  };
}

function rawNodes(kind: string, stream: string, sources: readonly ConfiguredSource[]): LineageNode[] {
  if (kind === 'tide')
    return [{ id: `tide.${stream}`, kind: 'tide', label: `tide.${stream}`, detail: 'Tide' }];
  const configured = sources.filter((s) => s.kind === kind);
  if (configured.length === 0) {
    return [
      { id: `raw:${kind}.${stream}`, kind: 'raw', label: `${kind} ${stream}`, detail: 'not configured' },
    ];
  }
  return configured.map((s) => {
    const table = `raw.${rawTableName(s.name, stream)}`;
    return { id: table, kind: 'raw', label: table, detail: `${kind} ${stream}` };
  });
}

function modelsRead(from: SyncReads['from'], project: ModelProject): string[] {
  if (from.kind === 'model') {
    const name = from.model.slice(from.model.indexOf('.') + 1);
    return project.models.has(name) ? [name] : [];
  }
  return [...project.models.values()]
    .filter((m) => new RegExp(`\\b${m.schema}\\s*\\.\\s*"?${m.name}\\b`, 'i').test(from.sql))
    .map((m) => m.name);
}

export interface PlacedNode extends LineageNode {
  readonly x: number;
  readonly y: number;
}

export interface Layout {
  readonly nodes: readonly PlacedNode[];
  readonly edges: LineageGraph['edges'];
  readonly width: number;
  readonly height: number;
}

export const NODE_WIDTH = 210;
export const NODE_HEIGHT = 34;
const COLUMN_GAP = 80;
const ROW_GAP = 12;

/**
 * Columns by depth (each node one column right of its deepest parent, raw tables first), rows in
 * each column ordered by the mean row of their parents so edges mostly run straight.
 */
export function layoutLineage(graph: LineageGraph): Layout {
  const parents = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const [from, to] of graph.edges) parents.get(to)?.push(from);
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const d = Math.max(-1, ...(parents.get(id) ?? []).map((p) => depthOf(p, seen))) + 1;
    depth.set(id, d);
    return d;
  };
  for (const node of graph.nodes) depthOf(node.id, new Set());
  const columns: LineageNode[][] = [];
  for (const node of graph.nodes) {
    const d = depth.get(node.id) ?? 0;
    const column = columns[d] ?? [];
    column.push(node);
    columns[d] = column;
  }
  const row = new Map<string, number>();
  const placed: PlacedNode[] = [];
  columns.forEach((column, c) => {
    const key = (n: LineageNode): number => {
      const rows = (parents.get(n.id) ?? []).map((p) => row.get(p) ?? 0);
      return rows.length === 0 ? 0 : rows.reduce((a, b) => a + b, 0) / rows.length;
    };
    const ordered =
      c === 0
        ? [...column].sort((a, b) => a.id.localeCompare(b.id))
        : [...column].sort((a, b) => key(a) - key(b) || a.id.localeCompare(b.id));
    ordered.forEach((node, r) => {
      row.set(node.id, r);
      placed.push({ ...node, x: 10 + c * (NODE_WIDTH + COLUMN_GAP), y: 10 + r * (NODE_HEIGHT + ROW_GAP) });
    });
  });
  const tallest = Math.max(1, ...columns.map((c) => c.length));
  return {
    nodes: placed,
    edges: graph.edges,
    width: 20 + columns.length * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP,
    height: 20 + tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP,
  };
}
