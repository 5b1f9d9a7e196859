import type { SimBackend, SimControl, SimRequest, SimResponse } from '../kit/sim-types.js';
import { type BatchOperation, type BatchResult, batchResponse, parseBatch } from './dynamics-batch.js';
import { dataverseError, payloadError, segmentNotFound } from './dynamics-errors.js';
import type { DynamicsLimits } from './dynamics-limits.js';
import { DynamicsMetadata } from './dynamics-metadata.js';
import type { DynamicsOAuth } from './dynamics-oauth.js';
import { DYNAMICS_PAGING } from './dynamics-paging.js';
import { parsePrefer } from './dynamics-prefer.js';
import { DynamicsReader } from './dynamics-read.js';
import type { DynamicsStore } from './dynamics-store.js';
import { DynamicsWriter, parseRowKey } from './dynamics-write.js';

/** Settings the control API can change while the simulator runs. */
export interface DynamicsSettings {
  /** Org setting ExpireChangeTrackingInDays (MicrosoftDocs: default 7). */
  expireChangeTrackingInDays: number;
  tokenLifetimeSeconds: number;
  /** Wall-clock delay before each API request is answered (makes the concurrency limit reachable). */
  responseDelayMs: number;
  /** Tables the application user's security role cannot read or write (403 PrivilegeDenied). */
  deniedEntities: Set<string>;
}

const API = /^\/api\/data\/v9\.[0-2]\/(.*)$/;
const TOKEN = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

interface Handled {
  readonly response: SimResponse;
  /** Records read or written (execution cost), and operations (entitlement). */
  readonly records: number;
  readonly operations: number;
  /** Rows a successful write changed (the write journal, `GET /_sim/writes`). */
  readonly written?: readonly string[];
}

/**
 * The Dataverse Web API v9.2 behind one simulated environment: Entra ID's token endpoint, then every
 * `/api/data/v9.2/…` call authenticated, admitted by the service protection limits, and routed to
 * metadata, reads, writes, UpdateMultiple or `$batch` (whose operations run through the same routes).
 */
export class DynamicsBackend implements SimBackend {
  readonly vendor = 'dynamics';
  readonly paging = DYNAMICS_PAGING;
  readonly control: SimControl;
  readonly #store: DynamicsStore;
  readonly #oauth: DynamicsOAuth;
  readonly #limits: DynamicsLimits;
  readonly #settings: DynamicsSettings;
  readonly #reader: DynamicsReader;
  readonly #writer: DynamicsWriter;
  readonly #metadata: DynamicsMetadata;
  readonly #journal = new WeakMap<SimRequest, readonly string[]>();

  constructor(
    store: DynamicsStore,
    oauth: DynamicsOAuth,
    limits: DynamicsLimits,
    settings: DynamicsSettings,
    control: SimControl,
  ) {
    this.#store = store;
    this.#oauth = oauth;
    this.#limits = limits;
    this.#settings = settings;
    this.control = control;
    this.#reader = new DynamicsReader(store, () => settings.expireChangeTrackingInDays);
    this.#writer = new DynamicsWriter(store);
    this.#metadata = new DynamicsMetadata(store.catalog);
  }

  endpoint(req: SimRequest): string {
    if (TOKEN.test(req.path)) return 'POST /{tenant}/oauth2/v2.0/token';
    const m = API.exec(req.path);
    if (m === null) return `${req.method} ${req.path}`;
    const label = decodeURIComponent(m[1]!)
      .replace(/\(LogicalName='[^']*'\)/, '({name})')
      .replace(/^([A-Za-z_]+)\([^)]*\)/, '$1({key})');
    return `${req.method} /api/data/v9.2/${label}`;
  }

  /** The rows a successful write request changed: a PATCH/POST's row, each committed `$batch` part's. */
  writtenIds(req: SimRequest): readonly string[] {
    return this.#journal.get(req) ?? [];
  }

  unauthorizedResponse(): SimResponse {
    return { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' }, text: '' };
  }

  isWrite(req: SimRequest): boolean {
    return req.method !== 'GET' && !TOKEN.test(req.path);
  }

  rateLimitResponse(): SimResponse {
    return dataverseError(
      429,
      '0x80072322',
      'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
      { 'Retry-After': '1' },
    );
  }

  serverErrorResponse(): SimResponse {
    return dataverseError(500, '0x80040216', 'An unexpected error occurred.');
  }

  async handle(req: SimRequest): Promise<SimResponse> {
    const host = `http://${req.headers.host ?? '127.0.0.1'}`;
    const token = TOKEN.exec(req.path);
    if (token !== null) {
      if (req.method !== 'POST') return { status: 405, json: { error: 'invalid_request' } };
      return this.#oauth.token(decodeURIComponent(token[1]!), req.rawBody, host);
    }
    const api = API.exec(req.path);
    if (api === null) return { status: 404, text: 'Not Found' };
    const user = this.#oauth.user(header(req, 'authorization') ?? undefined);
    if (user === null) {
      // Dataverse's 401 body is not documented; the challenge header is what clients see.
      return {
        status: 401,
        headers: {
          'WWW-Authenticate': `Bearer authorization_uri=${host}/${this.#oauth.app.tenantId}/oauth2/authorize, resource_id=${host}/`,
        },
        text: '',
      };
    }
    const refused = this.#limits.admit(user);
    if (refused !== null) return withHeaders(refused, { ...this.#limits.headers(user), Date: this.#date() });
    let handled: Handled = {
      response: dataverseError(500, '0x80040216', 'An unexpected error occurred.'),
      records: 0,
      operations: 1,
    };
    try {
      if (this.#settings.responseDelayMs > 0)
        await new Promise((r) => setTimeout(r, this.#settings.responseDelayMs));
      const root = `${host}${req.path.slice(0, req.path.length - api[1]!.length - 1)}`;
      const rest = decodeURIComponent(api[1]!);
      if (rest === '$batch' && req.method === 'POST') handled = await this.#batch(root, req);
      else handled = this.#route(root, req.method, rest, req.query, (name) => header(req, name), req.rawBody);
      this.#journal.set(req, handled.written ?? writtenRow(handled.response));
    } finally {
      this.#limits.finish(user, handled.records, handled.operations);
    }
    return withHeaders(handled.response, { ...this.#limits.headers(user), Date: this.#date() });
  }

  /** The server's clock is the simulator clock: clients date deletions by the response's Date. */
  #date(): string {
    return new Date(this.#store.clock.now()).toUTCString();
  }

  #route(
    root: string,
    method: string,
    rest: string,
    query: URLSearchParams,
    get: (name: string) => string | null,
    body: string,
  ): Handled {
    const one = (response: SimResponse, records = 1): Handled => ({ response, records, operations: 1 });
    if (rest === 'WhoAmI' && method === 'GET') {
      return one({
        status: 200,
        json: {
          '@odata.context': `${root}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
          BusinessUnitId: '5eed0000-0000-4000-8000-00000000b0b0',
          UserId: '5eed0000-0000-4000-8000-00000000a99a',
          OrganizationId: '5eed0000-0000-4000-8000-000000000c0c',
        },
      });
    }
    const metadata = method === 'GET' ? this.#metadata.handle(root, rest, query) : null;
    if (metadata !== null) return one(metadata);
    const m = /^([A-Za-z_]+)(?:\((.*)\))?(?:\/(Microsoft\.Dynamics\.CRM\.UpdateMultiple))?$/.exec(rest);
    const table = m === null ? undefined : this.#store.bySet(m[1]!);
    if (m === null || table === undefined) return one(segmentNotFound(rest.split(/[(/]/)[0] ?? rest));
    const entity = table.entity.logicalName;
    if (this.#settings.deniedEntities.has(entity)) {
      const privilege = `prv${method === 'GET' ? 'Read' : 'Write'}${entity[0]!.toUpperCase()}${entity.slice(1)}`;
      return one(
        dataverseError(
          403,
          '0x80040220',
          `Principal user (Id=5eed0000-0000-4000-8000-00000000a99a, type=8, roleCount=1, privilegeCount=0, accessMode=4), is missing ${privilege} privilege on OTC=${table.entity.code} for entity '${entity}'.`,
        ),
      );
    }
    const prefs = parsePrefer(get('prefer') ?? undefined);
    const parsedBody = (): unknown => {
      try {
        return body.trim() === '' ? {} : JSON.parse(body);
      } catch {
        return undefined;
      }
    };
    const writeHeaders = {
      ifMatch: get('if-match'),
      ifNoneMatch: get('if-none-match'),
      returnRepresentation: prefs.returnRepresentation,
    };
    if (m[3] !== undefined) {
      if (method !== 'POST')
        return one(dataverseError(405, '', 'The requested resource does not support http method.'));
      const json = parsedBody();
      if (json === undefined)
        return one(payloadError(table.entity.entitySetName, 'the request body is not valid JSON'));
      const targets = (json as { Targets?: unknown[] } | null)?.Targets;
      const n = Array.isArray(targets) ? targets.length : 1;
      return { response: this.#writer.updateMultiple(table, json), records: n, operations: n };
    }
    if (m[2] === undefined) {
      if (method === 'GET') {
        const response = this.#reader.collection({ root, table, query, prefs });
        const value = (response.json as { value?: unknown[] } | undefined)?.value;
        return one(response, Array.isArray(value) ? value.length : 0);
      }
      if (method === 'POST') {
        const json = parsedBody();
        if (json === undefined)
          return one(payloadError(table.entity.entitySetName, 'the request body is not valid JSON'));
        return one(this.#writer.create(root, table, writeHeaders, json));
      }
      return one(dataverseError(405, '', 'The requested resource does not support http method.'));
    }
    const key = parseRowKey(m[2]);
    if (key === null)
      return one(
        dataverseError(
          400,
          '0x80060888',
          `Bad Request - Error in query syntax: '${m[2]}' is not a valid key.`,
        ),
      );
    if (method === 'GET') {
      const index = key.kind === 'id' ? table.indexOf(key.id) : null;
      if (index === null)
        return one(
          dataverseError(404, '', `${entity} With Id = ${key.kind === 'id' ? key.id : m[2]} Does Not Exist`),
        );
      return one(this.#reader.single({ root, table, query, prefs }, index));
    }
    if (method === 'PATCH') {
      const json = parsedBody();
      if (json === undefined)
        return one(payloadError(table.entity.entitySetName, 'the request body is not valid JSON'));
      return one(this.#writer.patch(root, table, key, writeHeaders, json));
    }
    if (method === 'DELETE') return one(this.#writer.remove(table, key));
    return one(dataverseError(405, '', 'The requested resource does not support http method.'));
  }

  /**
   * `$batch`: operations in order; a change set commits all or nothing; without
   * `Prefer: odata.continue-on-error` the batch stops at the first failure and answers with its
   * status, otherwise 200 with every part's own status (execute-batch-operations-using-web-api.md).
   */
  async #batch(root: string, req: SimRequest): Promise<Handled> {
    const parts = parseBatch(header(req, 'content-type') ?? undefined, req.rawBody);
    if (!Array.isArray(parts)) return { response: parts, records: 0, operations: 1 };
    const continueOnError = parsePrefer(req.headers.prefer).continueOnError;
    const results: BatchResult[] = [];
    let operations = 0;
    let failed: number | null = null;
    const written: string[] = [];
    const run = (op: BatchOperation): SimResponse => {
      operations++;
      const target = batchTarget(op.url);
      if (target === null)
        return dataverseError(
          400,
          '0x80060888',
          `The URL '${op.url}' in the batch is not a request to this service.`,
        );
      const query = new URLSearchParams(target.query);
      const get = (name: string): string | null => op.headers[name.toLowerCase()] ?? header(req, name);
      return this.#route(root, op.method, decodeURIComponent(target.path), query, get, op.body).response;
    };
    for (const part of parts) {
      if (part.kind === 'operation') {
        const response = run(part.operation);
        written.push(...writtenRow(response));
        results.push({ kind: 'operation', response, contentId: part.operation.contentId });
        if (response.status >= 400 && !continueOnError) {
          failed = response.status;
          break;
        }
        continue;
      }
      const rollback = this.#store.checkpoint();
      const responses: { response: SimResponse; contentId: string | null }[] = [];
      let failure: SimResponse | null = null;
      for (const op of part.operations) {
        const response = run(op);
        if (response.status >= 400) {
          failure = response;
          break;
        }
        responses.push({ response, contentId: op.contentId });
      }
      if (failure !== null) {
        rollback();
        // A failed change set answers with its one error, for the whole set.
        results.push({ kind: 'operation', response: failure, contentId: null });
        if (!continueOnError) {
          failed = failure.status;
          break;
        }
      } else {
        for (const r of responses) written.push(...writtenRow(r.response));
        results.push({ kind: 'changeset', responses });
      }
    }
    return {
      response: batchResponse(failed ?? 200, results),
      records: operations,
      operations: Math.max(1, operations),
      written,
    };
  }
}

/** The row a successful single write names in `OData-EntityId` (none for a failure or a read). */
function writtenRow(response: SimResponse): string[] {
  if (response.status >= 400) return [];
  const id = /\(([0-9a-f-]{36})\)$/i.exec(String(response.headers?.['OData-EntityId'] ?? ''))?.[1];
  return id === undefined ? [] : [id];
}

function header(req: SimRequest, name: string): string | null {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

function withHeaders(response: SimResponse, headers: Record<string, string>): SimResponse {
  return { ...response, headers: { ...headers, ...response.headers } };
}

/** A batch part's URL as a path under the service root, or null when it points elsewhere. */
function batchTarget(url: string): { path: string; query: string } | null {
  if (/^https?:\/\//i.test(url)) {
    const u = new URL(url);
    const m = API.exec(u.pathname);
    if (m === null) return null;
    return { path: m[1]!, query: u.search };
  }
  if (url.startsWith('/')) {
    const q = url.indexOf('?');
    const m = API.exec(q < 0 ? url : url.slice(0, q));
    if (m === null) return null;
    return { path: m[1]!, query: q < 0 ? '' : url.slice(q) };
  }
  const q = url.indexOf('?');
  return { path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q) };
}
