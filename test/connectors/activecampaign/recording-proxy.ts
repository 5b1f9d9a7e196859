import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The request body parsed as JSON (undefined when there is none). */
  readonly body: unknown;
  readonly status: number;
  readonly responseHeaders: Headers;
  /** The response body parsed as JSON (the raw text when it is not JSON). */
  readonly response: unknown;
}

/**
 * A pass-through HTTP proxy that keeps every request Tide sends and every answer it gets, so a test
 * can hold both against the vendor's documented shapes. Only the base URL differs from a direct call.
 */
export class RecordingProxy {
  readonly exchanges: Exchange[] = [];
  readonly #target: string;
  #server: Server | null = null;
  #url = '';

  readonly #before: (request: URL) => Promise<void>;

  /** `before` runs ahead of forwarding each request (a test changing the CRM mid-read). */
  constructor(target: string, before: (request: URL) => Promise<void> = async () => {}) {
    this.#target = target.replace(/\/$/, '');
    this.#before = before;
  }

  get url(): string {
    return this.#url;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://proxy.local');
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers))
          if (typeof v === 'string' && k !== 'host') headers.set(k, v);
        void this.#before(url)
          .then(() =>
            fetch(`${this.#target}${req.url ?? '/'}`, {
              method: req.method ?? 'GET',
              headers,
              body: text === '' ? null : text,
            }),
          )
          .then(async (answer) => {
            const body = await answer.text();
            this.exchanges.push({
              method: req.method ?? 'GET',
              path: url.pathname,
              query: url.searchParams,
              headers: req.headers,
              body: text === '' ? undefined : parse(text),
              status: answer.status,
              responseHeaders: answer.headers,
              response: parse(body),
            });
            const out: Record<string, string> = {};
            answer.headers.forEach((v, k) => {
              if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
            });
            res.writeHead(answer.status, out);
            res.end(body);
          })
          .catch((error: unknown) => {
            res.writeHead(502);
            res.end(String(error));
          });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.#server = server;
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
