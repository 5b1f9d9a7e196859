import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DoubleFaults, type Fault } from './double-faults.js';
import type { DoubleHooks, DoubleLoadJob, DoubleQueryJob } from './double-hooks.js';
import { authFailure, googleError, readBody, reply } from './double-http.js';
import { DoubleJobs, type JobContext, jobStatus } from './double-jobs.js';
import { uploadLoadJob } from './double-load-jobs.js';
import type { BigqueryDoubleOptions } from './double-options.js';
import { insertQueryJob } from './double-query-jobs.js';
import { queryResults } from './double-results.js';
import { ALLOWED_QUERY, type RecordedRequest, routeOf } from './double-routes.js';

/**
 * A local HTTP double of BigQuery's v2 REST API for @google-cloud/bigquery pointed at it with
 * `apiEndpoint`. It is a request/response checker, not a database: it validates every request
 * against BigQuery's REST shapes (bigquery-rest-shapes.ts), parses every SQL text with a GoogleSQL
 * parser and checks its parameters (double-query-jobs.ts), unpacks and checks uploads
 * (double-load-jobs.ts), runs the job lifecycle (double-jobs.ts: RUNNING for a few polls, then
 * DONE), and answers query jobs with whatever the test's `answer` hook returns, encoded as BigQuery
 * encodes results (double-results.ts). This file routes requests and records what the test reads.
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
  readonly #faults = new DoubleFaults();
  readonly #context: JobContext;

  private constructor(server: Server, options: BigqueryDoubleOptions) {
    this.#server = server;
    this.#options = options;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.#context = {
      options,
      jobs: new DoubleJobs(options, this.baseUrl),
      faults: this.#faults,
      hooks: () => this.hooks,
      recordQueryJob: (job) => this.queryJobs.push(job),
      recordLoadJob: (job, rawBytes) => {
        if (this.#options.retainLoads !== false) this.loadJobs.push(job);
        this.uploaded.files++;
        this.uploaded.rows += job.rows.length;
        this.uploaded.bytes += job.bytes;
        this.uploaded.rawBytes += rawBytes;
      },
    };
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
    this.#faults.add(fault);
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
        return insertQueryJob(this.#context, res, recorded.body);
      case 'upload':
        return uploadLoadJob(this.#context, res, req.headers['content-type'] ?? '', query, body);
      case 'status':
        return jobStatus(this.#context, res, route.jobId!, query);
      case 'results':
        return queryResults(this.#context, res, route.jobId!, query);
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
}
