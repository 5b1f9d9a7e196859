import type { SimRequest } from '../kit/sim-types.js';
import { type Entity, FIELD_OBJECTS, type FieldObject, parseEntity } from './entity-kinds.js';

export type Route =
  | { readonly kind: 'list'; readonly entity: Entity }
  | { readonly kind: 'create'; readonly entity: Entity }
  | { readonly kind: 'one'; readonly entity: Entity; readonly id: number }
  | { readonly kind: 'fields'; readonly entity: Entity }
  | { readonly kind: 'users' }
  | { readonly kind: 'leads' }
  | { readonly kind: 'lead'; readonly id: string }
  | { readonly kind: 'recents' }
  | { readonly kind: 'merge'; readonly entity: 'persons' | 'organizations'; readonly id: number }
  | { readonly kind: 'unknown' };

export function routeOf(req: SimRequest): Route {
  const path = req.path.replace(/\/+$/, '');
  const v2 = /^\/api\/v2\/([a-z]+)(?:\/([^/]+))?$/.exec(path);
  if (v2) {
    const entity = parseEntity(v2[1]!);
    if (entity === null) return { kind: 'unknown' };
    if (v2[2] === undefined) {
      if (req.method === 'GET') return { kind: 'list', entity };
      if (req.method === 'POST') return { kind: 'create', entity };
      return { kind: 'unknown' };
    }
    const id = Number(v2[2]);
    if (!Number.isInteger(id) || id <= 0) return { kind: 'unknown' };
    return ['GET', 'PATCH', 'DELETE'].includes(req.method)
      ? { kind: 'one', entity, id }
      : { kind: 'unknown' };
  }
  const merge = /^\/v1\/(persons|organizations)\/(\d+)\/merge$/.exec(path);
  if (merge && req.method === 'PUT')
    return { kind: 'merge', entity: merge[1] as 'persons' | 'organizations', id: Number(merge[2]) };
  const v1 = /^\/v1\/([A-Za-z]+)(?:\/([^/]+))?$/.exec(path);
  if (!v1) return { kind: 'unknown' };
  const [, name, id] = v1;
  if (name! in FIELD_OBJECTS && id === undefined && req.method === 'GET')
    return { kind: 'fields', entity: FIELD_OBJECTS[name as FieldObject] };
  if (name === 'users' && id === undefined && req.method === 'GET') return { kind: 'users' };
  if (name === 'recents' && id === undefined && req.method === 'GET') return { kind: 'recents' };
  if (name === 'leads' && id === undefined && req.method === 'GET') return { kind: 'leads' };
  if (name === 'leads' && id !== undefined && ['GET', 'PATCH', 'DELETE'].includes(req.method))
    return { kind: 'lead', id };
  return { kind: 'unknown' };
}

/**
 * Tokens a call costs from the daily budget. From Pipedrive's spec (`x-token-cost`): v2 list 10,
 * v2 POST/PATCH 5, v2 DELETE 3, v1 leads and recents 20. INFERENCE for the rest: single GETs 2, v1
 * field and user lists 20 like the other v1 lists.
 */
export function tokenCost(route: Route, method: string): number {
  switch (route.kind) {
    case 'list':
      return 10;
    case 'create':
      return 5;
    case 'one':
      return method === 'PATCH' ? 5 : method === 'DELETE' ? 3 : 2;
    case 'lead':
      return method === 'GET' ? 2 : 5;
    case 'merge':
      // INFERENCE: priced like the other v1 writes.
      return 10;
    case 'leads':
    case 'recents':
    case 'fields':
    case 'users':
      return 20;
    default:
      return 0;
  }
}

/** Statistics label: the method and the path without ids. */
export function endpointLabel(req: SimRequest): string {
  const path = req.path.replace(/\/+$/, '');
  return `${req.method} ${path.replace(/\/(?:\d+|[0-9a-f]{8}-[0-9a-f-]{27})(\/merge)?$/i, '/{id}$1')}`;
}

export function isWriteMethod(method: string): boolean {
  return method === 'POST' || method === 'PATCH' || method === 'PUT' || method === 'DELETE';
}
