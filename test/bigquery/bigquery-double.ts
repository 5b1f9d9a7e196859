import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { type LoadConfig, QueryJobInsert } from './bigquery-rest-shapes.js';
import { type AnswerField, encodeRow, type QueryAnswer } from './bigquery-wire.js';
import { duplicate, googleError, invalid, readBody, reply } from './double-http.js';
import { checkSql, decodeParams, type JobParams } from './double-sql-check.js';
import { checkLoadFile, readUpload } from './double-upload.js';

export interface DoubleQueryJob {
  readonly jobId: string;
  readonly sql: string;
  /** Named parameters as an object, positional ones as an array (decoded to plain values). */
  readonly params: JobParams;
  readonly labels: Readonly<Record<string, string>>;
  readonly location: string;
}

export interface DoubleLoadJob {
  readonly jobId: string;
  readonly config: LoadConfig;
  /** The uploaded NDJSON, parsed. */
  readonly rows: readonly Record<string, unknown>[];
  readonly gzip: boolean;
  readonly bytes: number;
}

/** How the test answers jobs: the double checks requests, the test decides results. */
export interface DoubleHooks {
  answer?(job: DoubleQueryJob): QueryAnswer | Promise<QueryAnswer>;
  /** tables.get: the table's schema fields, or null for 404 (no hook: every table is missing). */
  table?(
    dataset: string,
    table: string,
  ): readonly AnswerField[] | null | Promise<readonly AnswerField[] | null>;
  onLoad?(job: DoubleLoadJob): void | Promise<void>;
}

export type RequestKind = 'insert' | 'upload' | 'status' | 'results' | 'table' | 'other';

/** A failure to inject, matched by request kind and (for query jobs) the job's `tide` label. */
export interface Fault {
  readonly on: RequestKind;
  readonly label?: string;
  /** Answer the HTTP call with this error (`createJob`: but create the job first, as if the answer got lost). */
  readonly http?: {
    readonly status: number;
    readonly reason: string;
    readonly message: string;
    readonly createJob?: boolean;
  };
  /** Let the job run and finish DONE with this errorResult. */
  readonly jobError?: { readonly reason: string; readonly message: string };
  times?: number;
}

export interface RecordedRequest {
  readonly kind: RequestKind;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly jobId?: string;
}

interface Job {
  readonly id: string;
  readonly location: string;
  readonly resource: Record<string, unknown>;
  readonly label: string | undefined;
  pollsLeft: number;
  answer: QueryAnswer;
  error: { reason: string; message: string } | null;
}

export interface BigqueryDoubleOptions {
  readonly projectId: string;
  readonly location: string;
  readonly token: string;
  /** jobs.get calls answered RUNNING before a job is DONE (exercises polling). */
  readonly pollsUntilDone?: number;
  /** Rows per getQueryResults page when the client asks for more. */
  readonly maxPageRows?: number;
  /** Keep every upload's parsed rows in `loadJobs` (tests); benchmarks turn it off and read the totals. */
  readonly retainLoads?: boolean;
}

/** Query parameters each endpoint accepts; Google APIs reject any other ("Cannot bind query parameter"). */
const STANDARD = ['prettyPrint', 'alt', 'fields', 'quotaUser', 'key'];
const ALLOWED_QUERY: Readonly<Record<RequestKind, readonly string[]>> = {
  insert: STANDARD,
  upload: [...STANDARD, 'uploadType'],
  status: [...STANDARD, 'location'],
  results: [
    ...STANDARD,
    'location',
    'maxResults',
    'pageToken',
    'startIndex',
    'timeoutMs',
    'formatOptions.useInt64Timestamp',
    'formatOptions.timestampOutputFormat',
  ],
  table: [...STANDARD, 'selectedFields', 'view'],
  other: STANDARD,
};

/**
 * A local HTTP double of BigQuery's v2 REST API for @google-cloud/bigquery pointed at it with
 * `apiEndpoint`. It is a request/response checker, not a database: it validates every request
 * against BigQuery's REST shapes (bigquery-rest-shapes.ts), parses every SQL text with a GoogleSQL
 * parser and checks its parameters, unpacks and checks uploads, runs the job lifecycle (RUNNING
 * for a few polls, then DONE), and answers query jobs with whatever the test's `answer` hook
 * returns, encoded as BigQuery encodes results.
 */
export class BigqueryDouble {
  readonly baseUrl: string;
  readonly requests: RecordedRequest[] = [];
  readonly queryJobs: DoubleQueryJob[] = [];
  readonly loadJobs: DoubleLoadJob[] = [];
  /** Totals over every upload, retained or not. */
  readonly uploaded = { files: 0, rows: 0, bytes: 0, rawBytes: 0 };
  hooks: DoubleHooks = {};
  readonly #options: BigqueryDoubleOptions;
  readonly #server: Server;
  readonly #jobs = new Map<string, Job>();
  readonly #faults: Fault[] = [];

  private constructor(server: Server, options: BigqueryDoubleOptions) {
    this.#server = server;
    this.#options = options;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(options: BigqueryDoubleOptions): Promise<BigqueryDouble> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const double = new BigqueryDouble(server, options);
    server.on('request', (req, res) => {
      double.#handle(req, res).catch((error: unknown) => {
        reply(res, 500, googleError(500, 'internalError', `double failed: ${String(error)}`));
      });
    });
    return double;
  }

  fault(fault: Fault): void {
    this.#faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** The SQL of every query job, in order. */
  get statements(): string[] {
    return this.queryJobs.map((j) => j.sql);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const body = await readBody(req);
    const query = Object.fromEntries(url.searchParams);
    const p = this.#options.projectId;
    const route = routeOf(req.method ?? 'GET', url.pathname, p);
    const recorded: RecordedRequest = {
      kind: route.kind,
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      ...(route.jobId === undefined ? {} : { jobId: route.jobId }),
      ...(body.length > 0 && route.kind !== 'upload' ? { body: JSON.parse(body.toString('utf8')) } : {}),
    };
    this.requests.push(recorded);
    if (req.headers.authorization !== `Bearer ${this.#options.token}`) {
      return reply(res, 401, authFailure(req.headers.authorization === undefined));
    }
    const unknown = Object.keys(query).filter((k) => !ALLOWED_QUERY[route.kind].includes(k));
    if (unknown.length > 0) {
      return reply(
        res,
        400,
        googleError(
          400,
          'invalid',
          `Invalid JSON payload received. Unknown name "${unknown[0]}": Cannot bind query parameter.`,
        ),
      );
    }
    switch (route.kind) {
      case 'insert':
        return this.#insertQueryJob(res, recorded.body);
      case 'upload':
        return this.#upload(res, req.headers['content-type'] ?? '', query, body);
      case 'status':
        return this.#status(res, route.jobId!, query);
      case 'results':
        return this.#results(res, route.jobId!, query);
      case 'table':
        return this.#table(res, route.dataset!, route.table!);
      default:
        return reply(res, 404, googleError(404, 'notFound', `Not found: ${req.method} ${url.pathname}`));
    }
  }

  /** tables.get, answered by the `table` hook as BigQuery's Table resource. */
  async #table(res: ServerResponse, dataset: string, table: string): Promise<void> {
    const fields = (await this.hooks.table?.(dataset, table)) ?? null;
    if (fields === null) {
      return reply(
        res,
        404,
        googleError(404, 'notFound', `Not found: Table ${this.#options.projectId}:${dataset}.${table}`),
      );
    }
    return reply(res, 200, {
      kind: 'bigquery#table',
      id: `${this.#options.projectId}:${dataset}.${table}`,
      tableReference: { projectId: this.#options.projectId, datasetId: dataset, tableId: table },
      schema: { fields: fields.map((f) => ({ name: f.name, type: f.type, mode: 'NULLABLE' })) },
      type: 'TABLE',
    });
  }

  #takeFault(kind: RequestKind, label: string | undefined): Fault | undefined {
    const i = this.#faults.findIndex((f) => f.on === kind && (f.label === undefined || f.label === label));
    if (i < 0) return undefined;
    const fault = this.#faults[i]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.#faults.splice(i, 1);
    return fault;
  }

  async #insertQueryJob(res: ServerResponse, body: unknown): Promise<void> {
    const parsed = QueryJobInsert.safeParse(body);
    if (!parsed.success) return reply(res, 400, invalid(parsed.error));
    const { jobReference, configuration } = parsed.data;
    const label = configuration.labels?.tide;
    if (this.#jobs.has(jobReference.jobId))
      return reply(res, 409, duplicate(this.#options, jobReference.jobId));
    const fault = this.#takeFault('insert', label);
    if (fault?.http !== undefined && fault.http.createJob !== true) {
      return replyFault(res, fault.http);
    }
    const location = jobReference.location ?? this.#options.location;
    const view: DoubleQueryJob = {
      jobId: jobReference.jobId,
      sql: configuration.query.query,
      params: decodeParams(configuration.query.queryParameters, configuration.query.parameterMode),
      labels: configuration.labels ?? {},
      location,
    };
    this.queryJobs.push(view);
    let error = checkSql(
      view.sql,
      configuration.query.queryParameters ?? [],
      configuration.query.parameterMode,
    );
    if (error === null && location !== this.#options.location) {
      error = {
        reason: 'notFound',
        message: `Not found: Dataset ${this.#options.projectId}:raw was not found in location ${location}`,
      };
    }
    let answer: QueryAnswer = {};
    if (error === null) {
      try {
        answer = (await this.hooks.answer?.(view)) ?? {};
      } catch (e) {
        error = { reason: 'invalidQuery', message: e instanceof Error ? e.message : String(e) };
      }
    }
    error ??= fault?.jobError ?? null;
    const job = this.#createJob(
      jobReference.jobId,
      location,
      { configuration: { ...configuration, jobType: 'QUERY' } },
      label,
      answer,
      error,
    );
    if (fault?.http !== undefined) {
      return replyFault(res, fault.http);
    }
    reply(res, 200, this.#resource(job));
  }

  async #upload(
    res: ServerResponse,
    contentType: string,
    query: Record<string, string>,
    body: Buffer,
  ): Promise<void> {
    const upload = readUpload(contentType, query, body);
    if ('status' in upload) return reply(res, upload.status, upload.body);
    const { metadata, media } = upload;
    const { jobReference, configuration } = metadata;
    if (this.#jobs.has(jobReference.jobId))
      return reply(res, 409, duplicate(this.#options, jobReference.jobId));
    const fault = this.#takeFault('upload', undefined);
    if (fault?.http !== undefined && fault.http.createJob !== true) {
      return replyFault(res, fault.http);
    }
    const gzip = media[0] === 0x1f && media[1] === 0x8b;
    const load = configuration.load;
    const file = gzip ? gunzipSync(media) : media;
    const checked = checkLoadFile(load, file);
    const rows = checked.rows;
    let error = checked.error;
    const view: DoubleLoadJob = { jobId: jobReference.jobId, config: load, rows, gzip, bytes: media.length };
    if (this.#options.retainLoads !== false) this.loadJobs.push(view);
    this.uploaded.files++;
    this.uploaded.rows += rows.length;
    this.uploaded.bytes += media.length;
    this.uploaded.rawBytes += file.length;
    if (error === null) {
      try {
        await this.hooks.onLoad?.(view);
      } catch (e) {
        error = { reason: 'invalid', message: e instanceof Error ? e.message : String(e) };
      }
    }
    error ??= fault?.jobError ?? null;
    // No jobReference.location in the request: BigQuery runs the load where the table's dataset is.
    const location = jobReference.location ?? this.#options.location;
    const job = this.#createJob(
      jobReference.jobId,
      location,
      { configuration: { ...configuration, jobType: 'LOAD' } },
      undefined,
      {},
      error,
    );
    job.resource.statistics = {
      ...(job.resource.statistics as object),
      load: { outputRows: String(rows.length), inputFiles: '1', inputFileBytes: String(media.length) },
    };
    if (fault?.http !== undefined) {
      return replyFault(res, fault.http);
    }
    reply(res, 200, this.#resource(job));
  }

  #createJob(
    id: string,
    location: string,
    resource: Record<string, unknown>,
    label: string | undefined,
    answer: QueryAnswer,
    error: { reason: string; message: string } | null,
  ): Job {
    const now = String(Date.now());
    const job: Job = {
      id,
      location,
      label,
      resource: {
        ...resource,
        statistics: {
          creationTime: now,
          startTime: now,
          ...(answer.dmlAffectedRows === undefined
            ? {}
            : { query: { numDmlAffectedRows: String(answer.dmlAffectedRows) } }),
        },
      },
      // A job that fails at once (bad SQL) is DONE in the insert answer, as on BigQuery.
      pollsLeft: error !== null && error.reason === 'invalidQuery' ? 0 : (this.#options.pollsUntilDone ?? 1),
      answer,
      error,
    };
    this.#jobs.set(id, job);
    return job;
  }

  #resource(job: Job): Record<string, unknown> {
    const p = this.#options.projectId;
    const done = job.pollsLeft <= 0;
    return {
      kind: 'bigquery#job',
      etag: `"${job.id}"`,
      id: `${p}:${job.location}.${job.id}`,
      selfLink: `${this.baseUrl}/bigquery/v2/projects/${p}/jobs/${job.id}?location=${job.location}`,
      user_email: 'tide@double.iam.gserviceaccount.com',
      jobReference: { projectId: p, jobId: job.id, location: job.location },
      ...job.resource,
      status: done
        ? { state: 'DONE', ...(job.error === null ? {} : { errorResult: job.error, errors: [job.error] }) }
        : { state: 'RUNNING' },
    };
  }

  #findJob(res: ServerResponse, id: string, query: Record<string, string>): Job | undefined {
    const job = this.#jobs.get(id);
    const multiRegion = job?.location === 'US' || job?.location === 'EU';
    // Outside the US and EU multi-regions BigQuery finds a job only with its location.
    if (job === undefined || (query.location ?? (multiRegion ? job.location : undefined)) !== job.location) {
      reply(res, 404, googleError(404, 'notFound', `Not found: Job ${this.#options.projectId}:${id}`));
      return undefined;
    }
    return job;
  }

  #status(res: ServerResponse, id: string, query: Record<string, string>) {
    const job = this.#findJob(res, id, query);
    if (job === undefined) return;
    const fault = this.#takeFault('status', job.label);
    if (fault?.http !== undefined) {
      return replyFault(res, fault.http);
    }
    if (job.pollsLeft > 0) job.pollsLeft--;
    reply(res, 200, this.#resource(job));
  }

  #results(res: ServerResponse, id: string, query: Record<string, string>) {
    const job = this.#findJob(res, id, query);
    if (job === undefined) return;
    const fault = this.#takeFault('results', job.label);
    if (fault?.http !== undefined) {
      return replyFault(res, fault.http);
    }
    const reference = { projectId: this.#options.projectId, jobId: job.id, location: job.location };
    if (job.pollsLeft > 0)
      return reply(res, 200, {
        kind: 'bigquery#getQueryResultsResponse',
        jobReference: reference,
        jobComplete: false,
      });
    if (job.error !== null) return reply(res, 400, googleError(400, job.error.reason, job.error.message));
    const fields: readonly AnswerField[] = job.answer.fields ?? [];
    const all = job.answer.rows ?? [];
    const start =
      query.pageToken === undefined
        ? Number(query.startIndex ?? 0)
        : Number(query.pageToken.replace('page-', ''));
    const size = Math.min(Number(query.maxResults ?? 100_000), this.#options.maxPageRows ?? 100_000);
    const page = all.slice(start, start + size);
    const int64 = query['formatOptions.useInt64Timestamp'] === 'true';
    reply(res, 200, {
      kind: 'bigquery#getQueryResultsResponse',
      etag: `"${job.id}-${start}"`,
      jobReference: reference,
      jobComplete: true,
      cacheHit: false,
      totalBytesProcessed: '0',
      ...(job.answer.fields === undefined
        ? { numDmlAffectedRows: String(job.answer.dmlAffectedRows ?? 0) }
        : {
            schema: {
              fields: fields.map((f) => ({ name: f.name, type: f.type, mode: f.mode ?? 'NULLABLE' })),
            },
            totalRows: String(all.length),
            ...(page.length === 0 ? {} : { rows: page.map((row) => encodeRow(fields, row, int64)) }),
            ...(start + size < all.length ? { pageToken: `page-${start + size}` } : {}),
          }),
    });
  }
}

/** BigQuery's two 401 answers: no credentials sent at all, or credentials it does not accept. */
function authFailure(missing: boolean): unknown {
  const expected =
    'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
  return missing
    ? googleError(
        401,
        'required',
        `Request is missing required authentication credential. ${expected}`,
        'Login Required.',
      )
    : googleError(
        401,
        'authError',
        `Request had invalid authentication credentials. ${expected}`,
        'Invalid Credentials',
      );
}

function replyFault(res: ServerResponse, http: NonNullable<Fault['http']>): void {
  reply(res, http.status, googleError(http.status, http.reason, http.message));
}

function routeOf(
  method: string,
  path: string,
  projectId: string,
): { kind: RequestKind; jobId?: string; dataset?: string; table?: string } {
  const base = `/bigquery/v2/projects/${projectId}`;
  const table = new RegExp(`^${base}/datasets/([^/]+)/tables/([^/]+)$`).exec(path);
  if (method === 'GET' && table !== null) {
    return { kind: 'table', dataset: decodeURIComponent(table[1]!), table: decodeURIComponent(table[2]!) };
  }
  if (method === 'POST' && path === `${base}/jobs`) return { kind: 'insert' };
  if (method === 'POST' && path === `/upload/bigquery/v2/projects/${projectId}/jobs`)
    return { kind: 'upload' };
  const job = new RegExp(`^${base}/(jobs|queries)/([^/]+)$`).exec(path);
  if (method === 'GET' && job !== null) {
    return { kind: job[1] === 'jobs' ? 'status' : 'results', jobId: decodeURIComponent(job[2]!) };
  }
  return { kind: 'other' };
}
