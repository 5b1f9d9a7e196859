import type { SimClock } from '../kit/sim-clock.js';
import type { SimBackend, SimControl, SimPaging, SimRequest, SimResponse } from '../kit/sim-types.js';
import { SalesforceSimControl } from './salesforce-control.js';
import { SALESFORCE_PAGING } from './salesforce-paging.js';
import {
  DEFAULT_SETTINGS,
  SalesforceConfigureSchema,
  type SalesforceSimSettings,
} from './salesforce-settings.js';
import type { SalesforceStore } from './salesforce-store.js';
import { parseDateTime, restDateTime, toSeconds } from './salesforce-time.js';
import { SimBulkQuery } from './sim-bulk-query.js';
import { SimCollections } from './sim-collections.js';
import { describeGlobal, describeSObject } from './sim-describe.js';
import { sfError } from './sim-errors.js';
import { type OAuthClient, SimOAuth } from './sim-oauth.js';
import { SimQueryService } from './sim-query-service.js';
import { QueryError } from './soql-executor.js';

const VERSIONED = /^\/services\/data\/v(\d{2}\.\d)(\/.*)?$/;
const DELETED_LOG_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * The Salesforce REST API (v62.0 and neighbours) over one simulated org: OAuth, SOQL query/queryAll,
 * describe, the deleted-records resource, limits, Bulk API 2.0 query jobs and sObject Collections.
 * Every versioned call is counted against the daily allowance and answers with Sforce-Limit-Info.
 */
export class SalesforceSimBackend implements SimBackend {
  readonly vendor = 'salesforce';
  readonly control: SimControl;
  readonly paging: SimPaging = SALESFORCE_PAGING;
  readonly settings: SalesforceSimSettings;
  readonly #store: SalesforceStore;
  readonly #clock: SimClock;
  readonly #oauth: SimOAuth;
  readonly #query: SimQueryService;
  readonly #bulk: SimBulkQuery;
  readonly #collections: SimCollections;
  readonly #client: OAuthClient;

  constructor(
    store: SalesforceStore,
    clock: SimClock,
    client: OAuthClient,
    settings: Partial<SalesforceSimSettings>,
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#client = client;
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    this.#oauth = new SimOAuth(client, clock, () => this.settings.tokenTtlMs);
    this.#query = new SimQueryService(store, clock, () => this.settings);
    this.#bulk = new SimBulkQuery(store, clock, this.settings);
    this.#collections = new SimCollections(store, () => toSeconds(clock.now()));
    const control = new SalesforceSimControl(store, clock);
    this.control = {
      mutate: (body) => control.mutate(body),
      truth: (object) => control.truth(object),
      load: (object, lines) => control.load(object, lines),
      plantText: (body) => control.plantText(body),
      configure: (body) => this.#configure(body),
    };
  }

  handle(req: SimRequest): SimResponse {
    const date = new Date(this.#clock.now()).toUTCString();
    const response = this.#route(req);
    const headers: Record<string, string> = { date, ...response.headers };
    if (VERSIONED.test(req.path)) headers['sforce-limit-info'] = this.#limitInfo();
    return { ...response, headers };
  }

  endpoint(req: SimRequest): string {
    const path = req.path
      .replace(/\/(?=[0-9][0-9A-Za-z]{14,17}(?:-\d+)?(?:\/|$))[^/]+/g, '/{id}')
      .replace(/\/$/, '');
    return `${req.method} ${path}`;
  }

  /** What Salesforce answers an expired access token: the client fetches a new one. */
  unauthorizedResponse(): SimResponse {
    return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  }

  rateLimitResponse(): SimResponse {
    return this.#withLimit(sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'));
  }

  serverErrorResponse(): SimResponse {
    return this.#withLimit(
      sfError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable, please retry'),
    );
  }

  isWrite(req: SimRequest): boolean {
    return req.method === 'PATCH' && req.path.includes('/composite/sobjects');
  }

  /** sObject Collections name their records in `records[].Id` (an upsert by external id: that value). */
  writtenIds(req: SimRequest): readonly string[] {
    try {
      const body = JSON.parse(req.rawBody) as { records?: Record<string, unknown>[] };
      const field = (
        /\/composite\/sobjects\/[A-Za-z0-9_]+\/([A-Za-z0-9_]+)$/.exec(req.path)?.[1] ?? 'Id'
      ).toLowerCase();
      // Field names are case-insensitive in Salesforce (`id` and `Id` both work).
      const fieldValue = (r: Record<string, unknown>): unknown =>
        Object.entries(r).find(([k]) => k.toLowerCase() === field)?.[1];
      return (body.records ?? []).map((r) => String(fieldValue(r) ?? '')).filter((id) => id !== '');
    } catch {
      return [];
    }
  }

  #withLimit(response: SimResponse): SimResponse {
    return { ...response, headers: { ...response.headers, 'sforce-limit-info': this.#limitInfo() } };
  }

  #limitInfo(): string {
    return `api-usage=${this.settings.apiUsage}/${this.settings.dailyApiLimit}`;
  }

  #route(req: SimRequest): SimResponse {
    if (req.method === 'POST' && req.path === '/services/oauth2/token') {
      return this.#oauth.token(req.rawBody, instanceUrl(req));
    }
    if (req.method === 'GET' && /^\/services\/data\/?$/.test(req.path)) {
      return {
        status: 200,
        json: ['60.0', '61.0', '62.0'].map((v) => ({
          label: `v${v}`,
          url: `/services/data/v${v}`,
          version: v,
        })),
      };
    }
    const versioned = VERSIONED.exec(req.path);
    if (!versioned) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (!this.#oauth.valid(req.headers.authorization)) {
      return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    if (this.settings.apiUsage >= this.settings.dailyApiLimit) {
      return sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    this.settings.apiUsage++;
    try {
      return this.#api(req, versioned[1]!, (versioned[2] ?? '/').replace(/\/$/, '') || '/');
    } catch (error) {
      if (error instanceof QueryError) return sfError(400, error.errorCode, error.message);
      throw error;
    }
  }

  #api(req: SimRequest, version: string, path: string): SimResponse {
    const route = `${req.method} ${path}`;
    const userId = this.#client.userId;
    const options = header(req, 'sforce-query-options');
    if (route === 'GET /query') return this.#query.query(req.query.get('q'), false, version, options);
    if (route === 'GET /queryAll') return this.#query.query(req.query.get('q'), true, version, options);
    const more = /^GET \/query(?:All)?\/([^/]+)$/.exec(route);
    if (more) return this.#query.more(more[1]!, version, options);
    if (route === 'GET /limits') return { status: 200, json: this.#limits() };
    if (route === 'GET /sobjects') return { status: 200, json: describeGlobal(this.#store, version) };
    const sobject = /^GET \/sobjects\/([A-Za-z0-9_]+)\/(describe|deleted)$/.exec(route);
    if (sobject) {
      const table = this.#store.table(sobject[1]!);
      if (!table) return sfError(404, 'NOT_FOUND', `The requested resource does not exist`);
      if (sobject[2] === 'describe') return { status: 200, json: describeSObject(table, version) };
      return this.#deleted(table, req.query);
    }
    if (route === 'PATCH /composite/sobjects') return this.#collections.update(req.rawBody);
    const upsert = /^PATCH \/composite\/sobjects\/([A-Za-z0-9_]+)\/([A-Za-z0-9_]+)$/.exec(route);
    if (upsert) return this.#collections.upsert(req.rawBody, upsert[1]!, upsert[2]!);
    if (route === 'POST /jobs/query') return this.#bulk.create(req.rawBody, version, userId);
    if (route === 'GET /jobs/query') return this.#bulk.list(userId);
    const results = /^GET \/jobs\/query\/([0-9A-Za-z]+)\/results$/.exec(route);
    if (results) return this.#bulk.results(results[1]!, req.query, version);
    const job = /^(GET|PATCH|DELETE) \/jobs\/query\/([0-9A-Za-z]+)$/.exec(route);
    if (job) {
      if (job[1] === 'GET') return this.#bulk.status(job[2]!, userId);
      if (job[1] === 'PATCH') return this.#bulk.abort(job[2]!, req.rawBody, userId);
      return this.#bulk.remove(job[2]!);
    }
    return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  /**
   * `GET /sobjects/{type}/deleted/?start=&end=`: ids deleted in the window. `earliestDateAvailable` is
   * the newest deletion already purged from the recycle bin: a client whose last sync is older cannot
   * learn every deletion since and must resync. Windows starting over 30 days ago are refused.
   */
  #deleted(table: NonNullable<ReturnType<SalesforceStore['table']>>, query: URLSearchParams): SimResponse {
    if (!table.schema.deletable) {
      return sfError(
        400,
        'INVALID_TYPE',
        `entity type ${table.schema.name} does not support query of deleted records`,
      );
    }
    const start = parseDateTime((query.get('start') ?? '').replace(' ', '+'));
    const end = parseDateTime((query.get('end') ?? '').replace(' ', '+'));
    if (start === null || end === null)
      return sfError(400, 'MALFORMED_QUERY', 'start and end must be dateTime values');
    const now = this.#clock.now();
    if (start >= end)
      return sfError(400, 'INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate');
    if (start < now - DELETED_LOG_DAYS * DAY_MS) {
      return sfError(
        400,
        'INVALID_REPLICATION_DATE',
        `startDate cannot be more than ${DELETED_LOG_DAYS} days ago`,
      );
    }
    const covered = Math.min(end, now);
    return {
      status: 200,
      json: {
        deletedRecords: table
          .deletedBetween(start, covered)
          .map((e) => ({ id: table.id(e.seq), deletedDate: restDateTime(e.ms) })),
        earliestDateAvailable: restDateTime(table.purgedThroughMs),
        latestDateCovered: restDateTime(Math.floor(covered / 1000) * 1000),
      },
    };
  }

  #limits(): Record<string, unknown> {
    const s = this.settings;
    return {
      DailyApiRequests: { Max: s.dailyApiLimit, Remaining: Math.max(0, s.dailyApiLimit - s.apiUsage) },
      DailyBulkV2QueryJobs: {
        Max: s.bulkJobsDailyLimit,
        Remaining: Math.max(0, s.bulkJobsDailyLimit - s.bulkJobsToday),
      },
      DailyBulkV2QueryFileStorageMB: { Max: 976_562, Remaining: 976_562 },
      ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
    };
  }

  #configure(body: unknown): unknown {
    const parsed = SalesforceConfigureSchema.parse(body);
    const { expireTokens, ...settings } = parsed;
    Object.assign(this.settings, settings);
    if (expireTokens) this.#oauth.expireAll();
    return { ...this.settings };
  }
}

function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function instanceUrl(req: SimRequest): string {
  return `http://${header(req, 'host') ?? '127.0.0.1'}`;
}
