import type { SimBackend, SimControl, SimPaging, SimRequest, SimResponse } from '../kit/sim-types.js';
import type { ZohoBulkRead } from './zoho-bulk-read.js';
import type { BackendTuning } from './zoho-control.js';
import { coqlCost, runCoql } from './zoho-coql.js';
import {
  authenticationFailure,
  invalidModule,
  invalidToken,
  notFound,
  requiredParam,
  scopeMismatch,
  zohoError,
} from './zoho-errors.js';
import { MODULES, type ModuleName } from './zoho-field-catalog.js';
import type { ZohoLimits } from './zoho-limits.js';
import { listDeleted, listRecords, listUsers } from './zoho-list.js';
import type { ZohoOAuthServer } from './zoho-oauth.js';
import { ZOHO_PAGING } from './zoho-paging.js';
import type { ZohoStore } from './zoho-store.js';
import { countItems, type WriteKind, writeCost, writeRecords } from './zoho-writes.js';

type Route =
  | { readonly kind: 'token' }
  | { readonly kind: 'modules' }
  | { readonly kind: 'fields' }
  | { readonly kind: 'users' }
  | { readonly kind: 'coql' }
  | { readonly kind: 'records'; readonly module: string }
  | { readonly kind: 'write'; readonly module: string; readonly write: WriteKind }
  | { readonly kind: 'deleted'; readonly module: string }
  | { readonly kind: 'bulk-create' }
  | { readonly kind: 'bulk-job'; readonly id: string }
  | { readonly kind: 'bulk-result'; readonly id: string }
  | { readonly kind: 'unknown' };

function routeOf(req: SimRequest): Route {
  const { method, path } = req;
  if (path === '/oauth/v2/token' && method === 'POST') return { kind: 'token' };
  if (path === '/crm/v8/settings/modules' && method === 'GET') return { kind: 'modules' };
  if (path === '/crm/v8/settings/fields' && method === 'GET') return { kind: 'fields' };
  if (path === '/crm/v8/users' && method === 'GET') return { kind: 'users' };
  if (path === '/crm/v8/coql' && method === 'POST') return { kind: 'coql' };
  if (path === '/crm/bulk/v8/read' && method === 'POST') return { kind: 'bulk-create' };
  const bulk = /^\/crm\/bulk\/v8\/read\/(\d+)(\/result)?$/.exec(path);
  if (bulk && method === 'GET')
    return bulk[2] ? { kind: 'bulk-result', id: bulk[1]! } : { kind: 'bulk-job', id: bulk[1]! };
  const m = /^\/crm\/v8\/([A-Za-z_]+)(?:\/(upsert|deleted))?$/.exec(path);
  if (m) {
    const module = m[1]!;
    if (m[2] === 'upsert' && method === 'POST') return { kind: 'write', module, write: 'upsert' };
    if (m[2] === 'deleted' && method === 'GET') return { kind: 'deleted', module };
    if (m[2] === undefined && method === 'GET') return { kind: 'records', module };
    if (m[2] === undefined && method === 'POST') return { kind: 'write', module, write: 'insert' };
    if (m[2] === undefined && method === 'PUT') return { kind: 'write', module, write: 'update' };
  }
  return { kind: 'unknown' };
}

/** Zoho CRM's API over the store: OAuth, then the org's limits, then the endpoint. */
export class ZohoBackend implements SimBackend {
  readonly paging: SimPaging = ZOHO_PAGING;
  readonly vendor = 'zoho';
  readonly control: SimControl;
  readonly #store: ZohoStore;
  readonly #limits: ZohoLimits;
  readonly #oauth: ZohoOAuthServer;
  readonly #bulk: ZohoBulkRead;
  readonly #tuning: BackendTuning;

  constructor(
    store: ZohoStore,
    limits: ZohoLimits,
    oauth: ZohoOAuthServer,
    bulk: ZohoBulkRead,
    tuning: BackendTuning,
    control: SimControl,
  ) {
    this.#store = store;
    this.#limits = limits;
    this.#oauth = oauth;
    this.#bulk = bulk;
    this.#tuning = tuning;
    this.control = control;
  }

  async handle(req: SimRequest): Promise<SimResponse> {
    const route = routeOf(req);
    if (route.kind === 'token') return this.#oauth.token(req);
    const auth = this.#oauth.check(header(req, 'authorization'));
    if (auth === 'missing') return authenticationFailure();
    if (auth === 'invalid') return invalidToken();
    if (route.kind === 'unknown') return notFound(`${req.method} ${req.path}`);
    const module = 'module' in route ? route.module : (req.query.get('module') ?? undefined);
    if (module !== undefined && this.#oauth.settings.deniedModules.includes(module)) return scopeMismatch();
    const admitted = this.#limits.admit(cost(route, req), heavy(route, req));
    if ('refused' in admitted) return admitted.refused;
    try {
      if (this.#tuning.latencyMs > 0) await new Promise((r) => setTimeout(r, this.#tuning.latencyMs));
      const response = this.#dispatch(route, req);
      return { ...response, headers: { ...this.#limits.headers(), ...response.headers } };
    } finally {
      admitted.release();
    }
  }

  #dispatch(route: Route, req: SimRequest): SimResponse {
    const store = this.#store;
    switch (route.kind) {
      case 'modules':
        return {
          status: 200,
          json: {
            modules: MODULES.map((m, i) => ({
              api_name: m,
              module_name: m,
              singular_label: m.replace(/s$/, ''),
              plural_label: m,
              api_supported: true,
              id: `41508680000000${String(i + 1).padStart(5, '0')}`,
              generated_type: 'default',
            })),
          },
        };
      case 'fields': {
        const name = req.query.get('module');
        if (name === null) return requiredParam('module');
        const module = moduleOf(name);
        return module === null
          ? invalidModule(name)
          : { status: 200, json: { fields: store.fieldsJson(module) } };
      }
      case 'users':
        return listUsers(store, req);
      case 'coql':
        return runCoql(store, req.rawBody);
      case 'records': {
        const module = moduleOf(route.module);
        return module === null ? invalidModule(route.module) : listRecords(store, module, req);
      }
      case 'deleted': {
        const module = moduleOf(route.module);
        return module === null ? invalidModule(route.module) : listDeleted(store, module, req);
      }
      case 'write': {
        const module = moduleOf(route.module);
        return module === null ? invalidModule(route.module) : writeRecords(store, module, route.write, req);
      }
      case 'bulk-create':
        return this.#bulk.create(req.rawBody);
      case 'bulk-job':
        return this.#bulk.details(route.id);
      case 'bulk-result':
        return this.#bulk.download(route.id);
      default:
        return notFound(`${req.method} ${req.path}`);
    }
  }

  endpoint(req: SimRequest): string {
    return `${req.method} ${req.path.replace(/\/\d{6,}/g, '/{id}')}`;
  }

  rateLimitResponse(): SimResponse {
    return this.#limits.concurrencyExceeded();
  }

  serverErrorResponse(): SimResponse {
    return zohoError(500, 'INTERNAL_ERROR', 'Internal Server Error');
  }

  isWrite(req: SimRequest): boolean {
    return routeOf(req).kind === 'write';
  }

  /** Records writes name in `data[].id` (inserts name none yet). */
  writtenIds(req: SimRequest): readonly string[] {
    try {
      const body = JSON.parse(req.rawBody) as { data?: { id?: unknown }[] };
      return (body.data ?? []).map((r) => String(r.id ?? '')).filter((id) => id !== '');
    } catch {
      return [];
    }
  }

  unauthorizedResponse(): SimResponse {
    return invalidToken();
  }
}

function moduleOf(name: string): ModuleName | null {
  return MODULES.find((m) => m === name) ?? null;
}

/** Credits of one call: Records GET 1, COQL 1–3 by LIMIT, writes 1 per 10 records, downloads free. */
function cost(route: Route, req: SimRequest): number {
  if (route.kind === 'coql') return coqlCost(req.rawBody);
  if (route.kind === 'write') return writeCost(req.rawBody);
  if (route.kind === 'bulk-result') return 0;
  return 1;
}

/** Heavy calls (a lower sub-concurrency): writes of more than 10 records and COQL. */
function heavy(route: Route, req: SimRequest): boolean {
  return route.kind === 'coql' || (route.kind === 'write' && countItems(req.rawBody) > 10);
}

function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
