import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan } from './fault-plan.js';
import { RequestStats } from './request-stats.js';
import type { SimClock } from './sim-clock.js';
import type { SimBackend, SimRequest, SimResponse } from './sim-types.js';

export interface RunningSimulator {
  readonly vendor: string;
  readonly baseUrl: string;
  readonly stats: RequestStats;
  readonly faults: FaultPlan;
  close(): Promise<void>;
}

/**
 * Serves one vendor backend over HTTP on loopback, with the control API every simulator shares:
 *
 *   POST   /_sim/clock/advance   {"ms": 60000}
 *   POST   /_sim/mutate          vendor body, e.g. {"object":"contacts","update":50}
 *   POST   /_sim/faults          see FaultPlanSchema;  DELETE /_sim/faults clears;  GET: the plan
 *                                 with what is left of it (`pending`: counted faults not yet served)
 *   GET    /_sim/stats           counts by endpoint and status;  DELETE /_sim/stats resets (both)
 *   GET    /_sim/writes          successful write requests per record id
 *   GET    /_sim/truth/{object}  NDJSON of every current record (ground truth)
 *   POST   /_sim/load/{object}   NDJSON body: records to load
 *   POST   /_sim/config          vendor settings (rate limits, …)
 *   POST   /_sim/plant-text      {"values": ["x\ud800y"]}: hostile text into contact-like records
 */
export async function startSimulator(
  backend: SimBackend,
  clock: SimClock,
  options: { port?: number; host?: string } = {},
): Promise<RunningSimulator> {
  const stats = new RequestStats();
  const faults = new FaultPlan();
  const hanging = new Set<ServerResponse>();
  const emptied = new EmptyPageLinks();

  // Node's default 16 KB header limit would answer 431 itself before a backend could reproduce its
  // vendor's own answer to an over-long request line (HubSpot: 414).
  const server: Server = createServer({ maxHeaderSize: 1 << 20 }, (req, res) => {
    void serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, json: { message: `simulator bug: ${String(error)}` } });
      else res.destroy();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const received: SimRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      url: req.url ?? '/',
      query: url.searchParams,
      headers: req.headers,
      rawBody,
    };
    if (url.pathname.startsWith('/_sim/')) return control(received, res);
    // The vendor's clock, not the machine's: Tide clamps cursors to the CRM's Date header, and tests
    // skew the simulated clock (POST /_sim/clock/advance) to prove it.
    res.setHeader('date', new Date(clock.now()).toUTCString());
    // A client following the next link of an empty page it was served asks for that page again.
    const simReq = emptied.resolve(received);

    const fault = faults.next(simReq.path, () => backend.paging?.isPageRead(simReq) ?? false);
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const endpoint = backend.endpoint(simReq);
    if (fault === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      stats.record(endpoint, 0, false);
      return;
    }
    if (fault === 'truncatedBody') {
      stats.record(endpoint, 200, false);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
      res.write('{"results":[{"id":"1","properties":{');
      setTimeout(() => res.destroy(), 5);
      return;
    }
    let response: SimResponse;
    if (fault === 'rateLimit') response = backend.rateLimitResponse();
    else if (fault === 'serverError') response = backend.serverErrorResponse();
    else if (fault === 'unauthorized')
      response = backend.unauthorizedResponse?.() ?? { status: 401, json: { message: 'unauthorized' } };
    else if (fault === 'malformedJson') response = { status: 200, text: '{"results": [{"id": "1", "propert' };
    else response = await backend.handle(simReq);
    if (fault === 'emptyPage' && backend.paging && response.status < 300) {
      response = backend.paging.emptied(response, emptied.link(simReq), simReq);
    }
    const wrote = response.status < 400 && backend.isWrite(simReq);
    stats.record(endpoint, response.status, wrote);
    if (wrote && backend.writtenIds) stats.recordWrite(backend.writtenIds(simReq));
    if (response.stream !== undefined) return sendStream(res, response, response.stream);
    send(res, response);
  }

  async function control(req: SimRequest, res: ServerResponse): Promise<void> {
    try {
      const truth = /^GET \/_sim\/truth\/([A-Za-z0-9_]+)$/.exec(`${req.method} ${req.path}`);
      if (truth) {
        // Streamed with back-pressure: the ground truth of a large simulator fits neither one JSON
        // string nor the socket's buffer (writing 1M records without waiting for 'drain' held them
        // all in memory and ended in an empty reply). Asked for before the 200 goes out, so a backend
        // that rejects the object name still answers 400.
        const records = backend.control.truth(truth[1]!);
        await sendStream(
          res,
          { status: 200, headers: { 'content-type': 'application/x-ndjson' } },
          ndjsonChunks(records),
        );
        return;
      }
      send(res, controlResponse(req));
    } catch (error) {
      if (res.headersSent) res.destroy();
      else
        send(res, { status: 400, json: { message: error instanceof Error ? error.message : String(error) } });
    }
  }

  function controlResponse(req: SimRequest): SimResponse {
    const body = (): unknown => (req.rawBody === '' ? {} : JSON.parse(req.rawBody));
    const route = `${req.method} ${req.path}`;
    switch (route) {
      case 'POST /_sim/clock/advance': {
        const ms = Number((body() as { ms?: unknown }).ms);
        if (!Number.isFinite(ms) || ms < 0) return { status: 400, json: { message: 'ms must be >= 0' } };
        clock.advance(ms);
        return { status: 200, json: { now: new Date(clock.now()).toISOString() } };
      }
      case 'POST /_sim/mutate':
        return { status: 200, json: backend.control.mutate(body()) };
      case 'POST /_sim/faults':
        faults.set(body());
        return { status: 200, json: faults.describe() };
      case 'GET /_sim/faults':
        return { status: 200, json: faults.describe() };
      case 'DELETE /_sim/faults':
        faults.clear();
        for (const r of hanging) r.destroy();
        return { status: 204 };
      case 'GET /_sim/stats':
        return { status: 200, json: stats.snapshot() };
      case 'GET /_sim/writes':
        if (backend.writtenIds === undefined) {
          return {
            status: 501,
            json: { message: `the ${backend.vendor} simulator keeps no write journal yet` },
          };
        }
        return { status: 200, json: stats.writesById() };
      case 'DELETE /_sim/stats':
        stats.reset();
        return { status: 204 };
      case 'POST /_sim/config':
        return { status: 200, json: backend.control.configure(body()) };
      case 'POST /_sim/plant-text':
        if (backend.control.plantText === undefined) {
          return { status: 501, json: { message: `the ${backend.vendor} simulator cannot plant text yet` } };
        }
        return { status: 200, json: backend.control.plantText(body()) };
    }
    const load = /^POST \/_sim\/load\/([A-Za-z0-9_]+)$/.exec(route);
    if (load) {
      const lines = req.rawBody.split('\n').filter((l) => l.trim() !== '');
      return { status: 200, json: { loaded: backend.control.load(load[1]!, lines) } };
    }
    return { status: 404, json: { message: `no control route ${route}` } };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const baseUrl = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  return {
    vendor: backend.vendor,
    baseUrl,
    stats,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The next links of empty pages: each carries a token of its own (so a client's loop detection never
 * sees a token twice), standing for the request whose page was emptied. Tokens are plain letters and
 * digits, valid in a query value and in a path segment alike.
 */
class EmptyPageLinks {
  readonly #requests = new Map<string, SimRequest>();

  link(req: SimRequest): string {
    const token = `tidesimemptypage${this.#requests.size + 1}`;
    this.#requests.set(token, req);
    return token;
  }

  /** The request a link stands for when `req` follows one (keeping the new request's headers). */
  resolve(req: SimRequest): SimRequest {
    if (this.#requests.size === 0) return req;
    const token = /tidesimemptypage\d+/.exec(req.url ?? req.path)?.[0];
    const original = token === undefined ? undefined : this.#requests.get(token);
    return original === undefined ? req : { ...original, headers: req.headers };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** NDJSON lines of `records` in chunks of about 64 KB, generated only as fast as they are sent. */
async function* ndjsonChunks(records: Iterable<unknown>): AsyncGenerator<Uint8Array> {
  let pending = '';
  for (const record of records) {
    pending += `${JSON.stringify(record)}\n`;
    if (pending.length >= 65_536) {
      yield Buffer.from(pending);
      pending = '';
    }
  }
  if (pending !== '') yield Buffer.from(pending);
}

/** Writes a generated body chunk by chunk, waiting for the socket to drain (bounded memory). */
async function sendStream(
  res: ServerResponse,
  response: SimResponse,
  body: AsyncIterable<Uint8Array>,
): Promise<void> {
  res.writeHead(response.status, { ...response.headers });
  for await (const chunk of body) {
    if (res.destroyed) return;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done).off('close', done);
          resolve();
        };
        res.on('drain', done).on('close', done);
      });
    }
  }
  res.end();
}

function send(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload = '';
  if (response.text !== undefined) payload = response.text;
  else if (response.json !== undefined) {
    payload = JSON.stringify(response.json);
    headers['content-type'] ??= 'application/json;charset=utf-8';
  }
  res.writeHead(response.status, headers);
  res.end(response.status === 204 ? undefined : payload);
}
