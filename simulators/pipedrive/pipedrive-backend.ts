import type { SimBackend, SimControl, SimPaging, SimRequest, SimResponse } from '../kit/sim-types.js';
import { mergeEntity } from './entity-merge.js';
import { notFound, pipedriveError, unauthorized } from './pipedrive-errors.js';
import type { PipedriveLimits } from './pipedrive-limits.js';
import { PIPEDRIVE_PAGING } from './pipedrive-paging.js';
import { endpointLabel, isWriteMethod, type Route, routeOf, tokenCost } from './pipedrive-routes.js';
import type { PipedriveStore } from './pipedrive-store.js';
import { listFields, listLeads, listRecents, listUsers, oneLead } from './v1-endpoints.js';
import { listEntities } from './v2-list.js';
import { createEntity, oneEntity } from './v2-writes.js';

export interface BackendSettings {
  /** Accepted as `x-api-token` and as an OAuth `Authorization: Bearer` token. */
  readonly apiToken: string;
}

/** Pipedrive's API over the store: auth, then the burst window and token budget, then the endpoint. */
export class PipedriveBackend implements SimBackend {
  readonly vendor = 'pipedrive';
  readonly control: SimControl;
  readonly paging: SimPaging = PIPEDRIVE_PAGING;
  readonly #store: PipedriveStore;
  readonly #limits: PipedriveLimits;
  readonly #settings: BackendSettings;

  constructor(
    store: PipedriveStore,
    limits: PipedriveLimits,
    settings: BackendSettings,
    control: SimControl,
  ) {
    this.#store = store;
    this.#limits = limits;
    this.#settings = settings;
    this.control = control;
  }

  handle(req: SimRequest): SimResponse {
    const apiToken = req.headers['x-api-token'] === this.#settings.apiToken;
    const bearer = req.headers.authorization === `Bearer ${this.#settings.apiToken}`;
    if (!apiToken && !bearer) return unauthorized();
    const route = routeOf(req);
    if (route.kind === 'unknown') return notFound(`Endpoint ${req.method} ${req.path}`);
    const write = isWriteMethod(req.method);
    const limited = this.#limits.admit(tokenCost(route, req.method), write, apiToken);
    if (limited) return limited;
    const response = this.#dispatch(route, req);
    return { ...response, headers: { ...this.#limits.headers(write, apiToken), ...response.headers } };
  }

  #dispatch(route: Route, req: SimRequest): SimResponse {
    const store = this.#store;
    switch (route.kind) {
      case 'list':
        return listEntities(store, route.entity, req.query);
      case 'create':
        return createEntity(store, route.entity, req.rawBody);
      case 'one':
        return oneEntity(store, route.entity, req.method, route.id, req.rawBody);
      case 'fields':
        return listFields(store, route.entity, req.query);
      case 'users':
        return listUsers(store);
      case 'leads':
        return listLeads(store, req.query);
      case 'lead':
        return oneLead(store, req.method, route.id, req.rawBody);
      case 'recents':
        return listRecents(store, req.query);
      case 'merge':
        return mergeEntity(store, route.entity, route.id, req.rawBody);
      default:
        return notFound(`Endpoint ${req.method} ${req.path}`);
    }
  }

  endpoint(req: SimRequest): string {
    return endpointLabel(req);
  }

  unauthorizedResponse(): SimResponse {
    return unauthorized();
  }

  rateLimitResponse(): SimResponse {
    return this.#limits.burstExceeded();
  }

  serverErrorResponse(): SimResponse {
    return pipedriveError(502, 'Bad gateway: the Pipedrive service did not answer in time');
  }

  isWrite(req: SimRequest): boolean {
    return isWriteMethod(req.method) && routeOf(req).kind !== 'unknown';
  }

  /** One record per request: the id in the path (creates name none yet). */
  writtenIds(req: SimRequest): readonly string[] {
    const route = routeOf(req);
    return route.kind === 'one' || route.kind === 'lead' ? [String(route.id)] : [];
  }
}
