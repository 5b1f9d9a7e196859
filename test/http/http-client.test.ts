import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CountingRequestLog } from '../../core/request-log.js';
import { TideError } from '../../core/tide-error.js';
import { HttpClient } from '../../http/http-client.js';
import { RollingWindowBudget, UnlimitedBudget } from '../../http/rate-budget.js';
import { RateLimitWaits } from '../../http/rate-limit-waits.js';
import type { VendorPolicy } from '../../http/vendor-policy.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
const servers: { close(): void }[] = [];

async function serve(handler: Handler): Promise<string> {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, n++));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

const SECRET = 'sk-very-secret-token';
const policy: VendorPolicy = {
  vendor: 'TestCRM',
  async authorize(headers) {
    headers.set('authorization', `Bearer ${SECRET}`);
  },
  rateSignal: (headers) => ({
    limit: headers.get('x-limit') ? Number(headers.get('x-limit')) : undefined,
    remaining: headers.get('x-remaining') ? Number(headers.get('x-remaining')) : undefined,
    resetMs: 50,
  }),
  judge(status, headers) {
    if (status === 429)
      return { kind: 'wait', afterMs: Number(headers.get('retry-after-ms') ?? 10), reason: '429' };
    if (status >= 500) return { kind: 'retry', afterMs: null, reason: `HTTP ${status}` };
    return { kind: 'fail', error: new TideError('http_error', `TestCRM failed with ${status}`) };
  },
};

function client(
  baseUrl: string,
  extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {},
): HttpClient {
  return new HttpClient({
    baseUrl,
    source: 'test',
    policy,
    budget: new UnlimitedBudget(),
    backoff: { baseMs: 5, maxMs: 20 },
    ...extra,
  });
}

const Ok = z.object({ ok: z.boolean() });

describe('HttpClient', () => {
  it('sends a non-JSON body verbatim with its content type, on every retry', async () => {
    const seen: { type: string | undefined; body: string }[] = [];
    const base = await serve((req, res, n) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ type: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(n === 0 ? 503 : 200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    const text =
      '--batch_1\r\nContent-Type: application/http\r\n\r\nPATCH /x HTTP/1.1\r\n\r\n{}\r\n--batch_1--\r\n';
    const res = await client(base).request({
      method: 'POST',
      path: '/$batch',
      body: { contentType: 'multipart/mixed; boundary="batch_1"', text },
    });
    expect(res.status).toBe(200);
    expect(seen).toEqual([
      { type: 'multipart/mixed; boundary="batch_1"', body: text },
      { type: 'multipart/mixed; boundary="batch_1"', body: text },
    ]);
  });

  it('retries 5xx with backoff, then returns the parsed body; the request log counts every attempt', async () => {
    const base = await serve((_req, res, n) => {
      if (n < 2) res.writeHead(503).end('busy');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const log = new CountingRequestLog();
    const body = await client(base, { requestLog: log }).json({ path: '/x' }, Ok);
    expect(body.ok).toBe(true);
    expect(
      log
        .rows()
        .map((r) => [r.status, r.count])
        .sort(),
    ).toEqual([
      [200, 1],
      [503, 2],
    ]);
  });

  it('waits the vendor signal on 429 before retrying', async () => {
    const times: number[] = [];
    const base = await serve((_req, res, n) => {
      times.push(Date.now());
      if (n === 0) res.writeHead(429, { 'retry-after-ms': '150' }).end('{}');
      else res.writeHead(200).end('{"ok":true}');
    });
    await client(base).json({ path: '/x' }, Ok);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(140);
  });

  it('waits out more rate-limit answers than it has retries: a 429 is not a failed attempt', async () => {
    const base = await serve((_req, res, n) => {
      if (n < 5) res.writeHead(429, { 'retry-after-ms': '1' }).end('{}');
      else res.writeHead(200).end('{"ok":true}');
    });
    const waits = new RateLimitWaits({ budgetMs: 60_000 });
    const body = await client(base, { maxRetries: 1, rateLimitWaits: waits }).json({ path: '/x' }, Ok);
    expect(body.ok).toBe(true);
    expect(waits.waits).toBe(5);
    // Each wait is at least the client's floor, so a vendor saying "retry after 0" spends the budget.
    expect(waits.spentMs).toBeGreaterThanOrEqual(5 * 100);
  });

  it('stops with rate_limited once the run’s wait budget cannot cover the vendor’s wait', async () => {
    let calls = 0;
    const base = await serve((_req, res) => {
      calls++;
      res.writeHead(429, { 'retry-after-ms': '150' }).end('{}');
    });
    const waits = new RateLimitWaits({ budgetMs: 400 });
    const error = (await client(base, { rateLimitWaits: waits })
      .request({ path: '/busy' })
      .catch((e: unknown) => e)) as TideError;
    expect(error).toBeInstanceOf(TideError);
    expect(error.code).toBe('rate_limited');
    expect(error.message).toContain('budget');
    expect(error.hint).toContain('rateLimitWaitSeconds');
    // 150 ms fits twice in 400 ms; the third wait does not, and nothing is charged for it.
    expect(calls).toBe(3);
    expect(waits.spentMs).toBe(300);
  });

  it('gives up after the bounded number of retries with a clear error', async () => {
    const base = await serve((_req, res) => res.writeHead(502).end());
    const error = await client(base, { maxRetries: 2 })
      .request({ path: '/always/fails' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TideError);
    expect((error as TideError).code).toBe('http_retries_exhausted');
    expect((error as Error).message).toContain('after 3 attempts');
  });

  it('does not retry a terminal 4xx', async () => {
    let calls = 0;
    const base = await serve((_req, res) => {
      calls++;
      res.writeHead(400).end('{"message":"bad"}');
    });
    await expect(client(base).request({ path: '/bad' })).rejects.toMatchObject({ code: 'http_error' });
    expect(calls).toBe(1);
  });

  it('retries a request that hangs past the timeout', async () => {
    const base = await serve((_req, res, n) => {
      if (n === 0) return; // never answers
      res.writeHead(200).end('{"ok":true}');
    });
    const body = await client(base, { timeoutMs: 200 }).json({ path: '/slow' }, Ok);
    expect(body.ok).toBe(true);
  });

  it('names a malformed body without leaking credentials or query strings', async () => {
    const base = await serve((_req, res) => res.writeHead(200).end('{"results": [ {"id'));
    const error = (await client(base)
      .json({ path: '/objects', query: { hapikey: SECRET } }, Ok)
      .catch((e: unknown) => e)) as TideError;
    expect(error.code).toBe('malformed_response');
    expect(error.message).toContain('/objects');
    expect(error.message).not.toContain(SECRET);
    const shape = (await client(base.replace(/$/, ''))
      .json({ path: '/objects' }, z.object({ never: z.string() }))
      .catch((e: unknown) => e)) as TideError;
    expect(shape.code).toBe('malformed_response');
  });

  it('sends repeated query parameters and the auth header', async () => {
    let seen: IncomingMessage | null = null;
    const base = await serve((req, res) => {
      seen = req;
      res.writeHead(200).end('{"ok":true}');
    });
    await client(`${base}/api`).json(
      { path: '/crm/v3/objects/contacts', query: { properties: ['a', 'b'], limit: 100, after: undefined } },
      Ok,
    );
    const req = seen as unknown as IncomingMessage;
    expect(req.url).toBe('/api/crm/v3/objects/contacts?properties=a&properties=b&limit=100');
    expect(req.headers.authorization).toBe(`Bearer ${SECRET}`);
  });
});

describe('RollingWindowBudget', () => {
  /** An acquire left running: whether it has got its slot yet, and the promise of it. */
  const acquiring = (budget: RollingWindowBudget): (() => boolean) & { readonly acquired: Promise<void> } => {
    let done = false;
    const acquired = budget.acquire().then(() => {
      done = true;
    });
    return Object.assign(() => done, { acquired });
  };
  const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 30));

  it('holds requests beyond the window limit until the window slides', async () => {
    let now = 0;
    const budget = new RollingWindowBudget({ limit: 2, windowMs: 1000, now: () => now });
    await budget.acquire();
    budget.release();
    await budget.acquire();
    budget.release();
    const third = acquiring(budget);
    await tick();
    expect(third()).toBe(false);
    now = 1001;
    await third.acquired;
  });

  it('holds a slot while its request is in flight and for a whole window after the answer', async () => {
    // The vendor counts a request when it arrives: a slow request must not share a window with one
    // sent a window after it left.
    let now = 0;
    const budget = new RollingWindowBudget({ limit: 1, windowMs: 1000, now: () => now });
    await budget.acquire();
    let second = false;
    const pending = budget.acquire().then(() => {
      second = true;
    });
    now = 1500; // a window has passed since it left, but it is still in flight
    await new Promise((r) => setTimeout(r, 30));
    expect(second).toBe(false);
    budget.release(); // answered at 1500
    now = 2400;
    await new Promise((r) => setTimeout(r, 30));
    expect(second).toBe(false);
    now = 2501;
    await pending;
    expect(second).toBe(true);
  });

  it('on a shared account: sends the first request alone, then counts what others spent in the window', async () => {
    let now = 0;
    const budget = new RollingWindowBudget({ limit: 5, windowMs: 1000, now: () => now, sharedAccount: true });
    await budget.acquire(); // the probe
    const second = acquiring(budget);
    await tick();
    expect(second(), 'nothing else goes out before the first answer').toBe(false);
    now = 100;
    budget.release();
    // The answer: 1 of 5 left, so 3 requests in the window were someone else's (the last command).
    budget.observe({ remaining: 1 });
    await tick();
    expect(second(), 'the window’s last slot').toBe(true);
    const third = acquiring(budget);
    await tick();
    expect(third(), 'three others, the probe and the second fill the window').toBe(false);
    now = 1101; // a window after the answer: the others' requests have left it too
    await third.acquired; // (its wait is a real timer of the window's length)
  });

  it('fullAtStart: the first request waits one window (the last command may have filled it)', async () => {
    let now = 0;
    const budget = new RollingWindowBudget({ limit: 5, windowMs: 1000, now: () => now, fullAtStart: true });
    const first = acquiring(budget);
    await tick();
    expect(first()).toBe(false);
    now = 1000;
    await first.acquired; // (its wait is a real timer of the window's length)
    // Then the whole window is its own.
    for (let i = 0; i < 4; i++) await budget.acquire();
  });

  it('without sharedAccount: no probe, and a low remaining count holds no extra slots', async () => {
    const budget = new RollingWindowBudget({ limit: 5, windowMs: 1000, now: () => 0 });
    await Promise.all([budget.acquire(), budget.acquire()]); // two at once, nothing answered yet
    budget.release();
    budget.observe({ remaining: 1 });
    await Promise.all([budget.acquire(), budget.acquire(), budget.acquire()]);
  });

  it('adopts the vendor limit and pauses when the vendor says none remain', async () => {
    let now = 0;
    const budget = new RollingWindowBudget({ limit: 100, windowMs: 1000, now: () => now });
    budget.observe({ limit: 1 });
    expect(budget.limit).toBe(1);
    budget.observe({ remaining: 0, resetMs: 500 });
    let done = false;
    const pending = budget.acquire().then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    now = 501;
    await pending;
    expect(done).toBe(true);
  });

  it('streams a success body chunk by chunk, retries a failure before it, and aborts a stalled download', async () => {
    const base = await serve((req, res, n) => {
      if (n === 0) return void res.writeHead(503).end('busy');
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.write('part one|');
      if (req.url === '/stall') return; // never ends: the idle timer must cut it
      setTimeout(() => res.end('part two'), 20);
    });
    const log = new CountingRequestLog();
    const streamed = await client(base, { requestLog: log }).requestStream({ path: '/file' });
    let text = '';
    let chunks = 0;
    for await (const chunk of streamed.body) {
      chunks++;
      text += Buffer.from(chunk).toString();
    }
    expect(text).toBe('part one|part two');
    expect(chunks).toBeGreaterThanOrEqual(2);
    expect(
      log
        .rows()
        .map((r) => r.status)
        .sort(),
    ).toEqual([200, 503]);

    const stalled = await client(base, { timeoutMs: 150 }).requestStream({ path: '/stall' });
    const read = async (): Promise<void> => {
      for await (const _ of stalled.body) {
        // the first part arrives, then nothing
      }
    };
    await expect(read()).rejects.toThrow(/stopped sending for 0.15 s/);
  });
});

describe('RateLimitWaits', () => {
  it('charges overlapping waits once, as the wall-clock time the run is held', () => {
    let now = 0;
    const waits = new RateLimitWaits({ budgetMs: 25_000, now: () => now });
    expect(waits.claim(10_000)).toBe(true);
    now = 2_000;
    expect(waits.claim(10_000)).toBe(true); // overlaps 8 s of the first
    expect(waits.spentMs).toBe(12_000);
    now = 20_000;
    expect(waits.claim(10_000)).toBe(true);
    expect(waits.spentMs).toBe(22_000);
    expect(waits.claim(10_000)).toBe(true); // entirely inside the last one: free
    now = 31_000;
    expect(waits.claim(5_000)).toBe(false); // 3 s left
    expect(waits.spentMs).toBe(22_000);
    expect(waits.claim(3_000)).toBe(true);
    expect(waits.waits).toBe(5);
  });
});
