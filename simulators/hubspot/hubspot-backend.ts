import type { SimBackend, SimControl, SimPaging, SimRequest, SimResponse } from '../kit/sim-types.js';
import { batchOperation } from './batch-operations.js';
import { EXPORT_FILES_PATH, type HubspotExports } from './export-jobs.js';
import { hubspotError, unauthorized, uriTooLong, validationError } from './hubspot-errors.js';
import type { HubspotLimits } from './hubspot-limits.js';
import { HUBSPOT_PAGING } from './hubspot-paging.js';
import { endpointLabel, isWriteRoute, type Route, routeOf } from './hubspot-routes.js';
import type { HubspotStore } from './hubspot-store.js';
import { listObjects } from './list-objects.js';
import { listOwners, listProperties, readAssociations } from './read-endpoints.js';
import { mergeEndpoint } from './record-merge.js';
import { searchObjects } from './search-objects.js';
import { parseSearchRequest } from './search-request.js';
import { singleObject } from './single-object.js';

/** INFERENCE: HubSpot's edge rejects request lines past roughly 16 KB with 414; we cut at 15,000. */
export const MAX_REQUEST_LINE = 15_000;

export interface BackendSettings {
  readonly token: string;
  /** Search index lag: records modified this recently are not yet searchable. */
  searchLagMs: number;
}

/** HubSpot's CRM API over the store: auth, request-line and rate limits, then the endpoint. */
export class HubspotBackend implements SimBackend {
  readonly vendor = 'hubspot';
  readonly control: SimControl;
  readonly paging: SimPaging = HUBSPOT_PAGING;
  readonly #store: HubspotStore;
  readonly #limits: HubspotLimits;
  readonly #settings: BackendSettings;
  readonly #exports: HubspotExports;

  constructor(
    store: HubspotStore,
    limits: HubspotLimits,
    settings: BackendSettings,
    control: SimControl,
    exports: HubspotExports,
  ) {
    this.#store = store;
    this.#limits = limits;
    this.#settings = settings;
    this.control = control;
    this.#exports = exports;
  }

  handle(req: SimRequest): SimResponse {
    const requestLine = `${req.method} ${req.url ?? req.path} HTTP/1.1`;
    if (requestLine.length > MAX_REQUEST_LINE) return uriTooLong();
    // An export's file comes from a signed URL: no token, and not an API call HubSpot counts.
    if (req.method === 'GET' && req.path.startsWith(EXPORT_FILES_PATH))
      return this.#exports.download(req.path);
    const auth = req.headers.authorization;
    if (auth === undefined || auth !== `Bearer ${this.#settings.token}`) return unauthorized();
    const route = routeOf(req);
    if (route.kind === 'unknown')
      return hubspotError(
        404,
        'OBJECT_NOT_FOUND',
        `No HubSpot endpoint ${req.method} ${req.path} in the simulator.`,
      );
    const search = route.kind === 'search';
    const limited = this.#limits.admit(search);
    if (limited) return limited;
    const response = this.#dispatch(route, req);
    if (search) return response;
    return { ...response, headers: { ...this.#limits.headers(), ...response.headers } };
  }

  #dispatch(route: Route, req: SimRequest): SimResponse {
    const store = this.#store;
    const baseUrl = `http://${req.headers.host ?? '127.0.0.1'}`;
    switch (route.kind) {
      case 'list':
        return listObjects(store, route.type, req.query, baseUrl);
      case 'search': {
        const parsed = parseSearchRequest(req.rawBody, route.type, store.catalog);
        if (typeof parsed === 'string') return validationError(parsed);
        return searchObjects(store, route.type, parsed, this.#settings.searchLagMs);
      }
      case 'batch':
        return batchOperation(store, route.type, route.action, req.rawBody, req.query);
      case 'object':
        return singleObject(store, route.type, req.method, route.id, req.query, req.rawBody);
      case 'merge':
        return mergeEndpoint(store, route.type, req.rawBody);
      case 'properties':
        return listProperties(store, route.type);
      case 'owners':
        return listOwners(store, req.query, baseUrl);
      case 'associations':
        return readAssociations(store, route.from, route.to, req.rawBody);
      case 'exportStart':
        return this.#exports.start(req.rawBody);
      case 'exportStatus':
        return this.#exports.status(route.taskId, baseUrl);
      case 'badType':
        return validationError(`Unable to infer object type from: ${route.raw}`);
      default:
        return hubspotError(404, 'OBJECT_NOT_FOUND', `No HubSpot endpoint ${req.method} ${req.path}`);
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
    return hubspotError(
      502,
      'INTERNAL_ERROR',
      'Bad Gateway: the HubSpot service did not answer in time. Retry the request.',
    );
  }

  isWrite(req: SimRequest): boolean {
    return isWriteRoute(routeOf(req), req.method);
  }

  /** Batch writes name their records in `inputs[].id`; single-object writes in the path. */
  writtenIds(req: SimRequest): readonly string[] {
    const route = routeOf(req);
    if (route.kind === 'object') return route.id === null ? [] : [route.id];
    if (route.kind !== 'batch') return [];
    try {
      const body = JSON.parse(req.rawBody) as { inputs?: { id?: unknown }[] };
      return (body.inputs ?? []).map((i) => String(i.id ?? '')).filter((id) => id !== '');
    } catch {
      return [];
    }
  }
}
