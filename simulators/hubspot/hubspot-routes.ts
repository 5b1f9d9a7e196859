import type { SimRequest } from '../kit/sim-types.js';
import { EXPORT_FILES_PATH } from './export-jobs.js';
import { type ObjectType, parseObjectType } from './hubspot-object-types.js';

export type Route =
  | { readonly kind: 'list'; readonly type: ObjectType }
  | { readonly kind: 'search'; readonly type: ObjectType }
  | {
      readonly kind: 'batch';
      readonly type: ObjectType;
      readonly action: 'read' | 'update' | 'upsert' | 'create' | 'archive';
    }
  | { readonly kind: 'object'; readonly type: ObjectType; readonly id: string | null }
  | { readonly kind: 'merge'; readonly type: ObjectType }
  | { readonly kind: 'properties'; readonly type: ObjectType }
  | { readonly kind: 'owners' }
  | { readonly kind: 'associations'; readonly from: ObjectType; readonly to: ObjectType }
  | { readonly kind: 'exportStart' }
  | { readonly kind: 'exportStatus'; readonly taskId: string }
  | { readonly kind: 'badType'; readonly raw: string }
  | { readonly kind: 'unknown' };

const BATCH_ACTIONS = ['read', 'update', 'upsert', 'create', 'archive'] as const;

/** Maps a request to the HubSpot endpoint it addresses. */
export function routeOf(req: SimRequest): Route {
  const parts = req.path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  const [crm, version, area, a, b, c, d] = parts;
  if (crm !== 'crm') return { kind: 'unknown' };
  if (version === 'v3' && area === 'exports') return exportRoute(req.method, parts.slice(3));
  if (version === 'v3' && area === 'owners' && a === undefined && req.method === 'GET')
    return { kind: 'owners' };
  if (
    version === 'v3' &&
    area === 'properties' &&
    a !== undefined &&
    b === undefined &&
    req.method === 'GET'
  ) {
    const type = parseObjectType(a);
    return type ? { kind: 'properties', type } : { kind: 'badType', raw: a };
  }
  if (
    version === 'v4' &&
    area === 'associations' &&
    a &&
    b &&
    c === 'batch' &&
    d === 'read' &&
    req.method === 'POST'
  ) {
    const from = parseObjectType(a);
    const to = parseObjectType(b);
    if (!from) return { kind: 'badType', raw: a };
    if (!to) return { kind: 'badType', raw: b };
    return { kind: 'associations', from, to };
  }
  if (version !== 'v3' || area !== 'objects' || a === undefined || parts.length > 6)
    return { kind: 'unknown' };
  const type = parseObjectType(a);
  if (!type) return { kind: 'badType', raw: a };
  if (b === undefined) {
    if (req.method === 'GET') return { kind: 'list', type };
    if (req.method === 'POST') return { kind: 'object', type, id: null };
    return { kind: 'unknown' };
  }
  if (b === 'search' && c === undefined && req.method === 'POST') return { kind: 'search', type };
  if (b === 'merge' && c === undefined && req.method === 'POST') return { kind: 'merge', type };
  if (b === 'batch' && c !== undefined && req.method === 'POST') {
    const action = BATCH_ACTIONS.find((x) => x === c);
    return action ? { kind: 'batch', type, action } : { kind: 'unknown' };
  }
  if (c === undefined && ['GET', 'PATCH', 'DELETE'].includes(req.method))
    return { kind: 'object', type, id: b };
  return { kind: 'unknown' };
}

/** `export/async` (POST) and `export/async/tasks/{taskId}/status` (GET) under `/crm/v3/exports/`. */
function exportRoute(method: string, rest: readonly string[]): Route {
  const [exp, async, tasks, taskId, status, ...more] = rest;
  if (exp !== 'export' || async !== 'async' || more.length > 0) return { kind: 'unknown' };
  if (tasks === undefined) return method === 'POST' ? { kind: 'exportStart' } : { kind: 'unknown' };
  if (tasks === 'tasks' && taskId !== undefined && status === 'status' && method === 'GET')
    return { kind: 'exportStatus', taskId };
  return { kind: 'unknown' };
}

/** Statistics label: the route with ids replaced (`GET /crm/v3/objects/contacts/{id}`). */
export function endpointLabel(req: SimRequest): string {
  const route = routeOf(req);
  if (route.kind === 'object' && route.id !== null) return `${req.method} /crm/v3/objects/${route.type}/{id}`;
  if (route.kind === 'exportStatus') return 'GET /crm/v3/exports/export/async/tasks/{taskId}/status';
  if (req.path.startsWith(EXPORT_FILES_PATH)) return 'GET export file';
  return `${req.method} ${req.path.replace(/\/$/, '')}`;
}

/** Requests that change data (dry runs must send none of these). */
export function isWriteRoute(route: Route, method: string): boolean {
  if (route.kind === 'batch') return route.action !== 'read';
  if (route.kind === 'object') return method !== 'GET';
  return route.kind === 'merge';
}
