import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { MemoryLogger } from '../../log/console-logger.js';
import { postWebhook } from '../../ops/alerts/post-webhook.js';
import { sendAlert } from '../../ops/alerts/send-alert.js';
import type { Breach } from '../../ops/health/breaches.js';
import type { RunRecord } from '../../ops/runs/run-record.js';
import {
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../simulators/hubspot/start-hubspot-simulator.js';
import { tide, writeConfig } from '../cli/cli-helpers.js';

/** A local webhook receiver: answers each POST with the next planned status (then 200). */
class Receiver {
  readonly bodies: unknown[] = [];
  readonly paths: string[] = [];
  plan: number[] = [];
  #server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        this.paths.push(req.url ?? '');
        this.bodies.push(JSON.parse(body));
        const status = this.plan.shift() ?? 200;
        res.writeHead(status, status === 429 ? { 'retry-after': '0' } : {}).end(status === 200 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    // The path is the secret part of a real webhook URL (Slack's is): it must never be logged.
    this.url = `http://127.0.0.1:${port}/hooks/T0SECRET/B0SECRET/xoxSECRETPATH`;
  }

  reset(plan: number[] = []): void {
    this.bodies.length = 0;
    this.paths.length = 0;
    this.plan = plan;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

const receiver = new Receiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.close());
afterEach(() => receiver.reset());

const RUN: RunRecord = {
  runId: '20260301020000-abcdef12',
  command: 'run',
  status: 'failed',
  startedAt: new Date('2026-03-01T02:00:00Z'),
  finishedAt: new Date('2026-03-01T02:03:00Z'),
  exitCode: 1,
  counts: null,
  errorSummary: 'crm.contacts: http_error: 500 from the CRM',
};

describe('postWebhook', () => {
  it('retries a 5xx and a 429 with backoff, then delivers once; the log never holds the URL', async () => {
    receiver.reset([503, 429]);
    const log = new MemoryLogger();
    const sent = await postWebhook({
      url: receiver.url,
      body: { text: 'hello' },
      attempts: 4,
      timeoutMs: 5_000,
      log,
      backoffBaseMs: 5,
    });
    expect(sent).toBe(true);
    expect(receiver.bodies).toEqual([{ text: 'hello' }, { text: 'hello' }, { text: 'hello' }]);
    expect(log.text()).toContain('HTTP 503');
    expect(log.text()).toContain('alert sent');
    expect(log.text()).not.toContain('SECRET');
  });

  it('gives up after its attempts without throwing, and does not retry a 4xx that will not change', async () => {
    receiver.reset([500, 500, 500]);
    const log = new MemoryLogger();
    expect(
      await postWebhook({
        url: receiver.url,
        body: {},
        attempts: 3,
        timeoutMs: 5_000,
        log,
        backoffBaseMs: 5,
      }),
    ).toBe(false);
    expect(receiver.bodies).toHaveLength(3);
    expect(log.text()).toContain('alert not delivered; the run itself is unaffected');

    receiver.reset([404]);
    expect(
      await postWebhook({
        url: receiver.url,
        body: {},
        attempts: 3,
        timeoutMs: 5_000,
        log,
        backoffBaseMs: 5,
      }),
    ).toBe(false);
    expect(receiver.bodies).toHaveLength(1);
  });

  it('a receiver that is down is a network error, named without the URL', async () => {
    const log = new MemoryLogger();
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = `http://127.0.0.1:${port}/hooks/SECRETDOWN`;
    expect(
      await postWebhook({ url: down, body: {}, attempts: 2, timeoutMs: 2_000, log, backoffBaseMs: 5 }),
    ).toBe(false);
    expect(log.text()).toContain('network error (ECONNREFUSED)');
    expect(log.text()).not.toContain('SECRETDOWN');
  });
});

describe('sendAlert', () => {
  const env = (): NodeJS.ProcessEnv => ({ TIDE_TEST_WEBHOOK: receiver.url });
  const config = {
    webhookUrlEnv: 'TIDE_TEST_WEBHOOK',
    on: ['failed', 'partial', 'breach'] as const,
    timeoutSeconds: 5,
    attempts: 2,
  };
  const breach = (crossed: boolean): Breach => ({
    metric: 'apiErrorRate',
    key: 'crm',
    source: 'crm',
    object: null,
    value: 0.02,
    threshold: 0.005,
    runId: RUN.runId,
    crossed,
  });

  it('a healthy run sends nothing; a breach that continues from the last run sends nothing; one that crosses does', async () => {
    const ok = { ...RUN, status: 'success' as const, exitCode: 0, errorSummary: null };
    const log = new MemoryLogger();
    expect(
      await sendAlert({ config: { ...config, on: [...config.on] }, run: ok, breaches: [], env: env(), log }),
    ).toBe(false);
    expect(
      await sendAlert({
        config: { ...config, on: [...config.on] },
        run: ok,
        breaches: [breach(false)],
        env: env(),
        log,
      }),
    ).toBe(false);
    expect(receiver.bodies).toHaveLength(0);
    expect(
      await sendAlert({
        config: { ...config, on: [...config.on] },
        run: ok,
        breaches: [breach(true)],
        env: env(),
        log,
      }),
    ).toBe(true);
    expect(receiver.bodies[0]).toMatchObject({
      text: expect.stringContaining('API error rate of crm: 2 % (threshold ≤ 0.5 %)'),
      tide: {
        triggers: ['breach'],
        status: 'success',
        breaches: [{ metric: 'apiErrorRate', key: 'crm', value: 0.02 }],
      },
    });
  });

  it('an unset variable is a warning naming the variable', async () => {
    const log = new MemoryLogger();
    expect(
      await sendAlert({ config: { ...config, on: [...config.on] }, run: RUN, breaches: [], env: {}, log }),
    ).toBe(false);
    expect(log.text()).toContain('TIDE_TEST_WEBHOOK is not set');
  });
});

describe('a failing `tide extract` alerts the webhook and keeps its own exit code', () => {
  let sim: StartedHubspotSimulator;
  beforeAll(async () => {
    sim = await startHubspotSimulator({ seed: 5, scale: 50, mutationsPerStart: 0 });
  });
  afterAll(async () => {
    await sim.close();
    delete process.env.TIDE_TEST_ALERT_HS;
    delete process.env.TIDE_TEST_ALERT_HOOK;
  });

  const project = () =>
    writeConfig((d) => ({
      sources: [
        { kind: 'hubspot', baseUrl: sim.baseUrl, tokenEnv: 'TIDE_TEST_ALERT_HS', streams: ['contacts'] },
      ],
      warehouse: { kind: 'duckdb', path: join(d, 'w.duckdb') },
      alerts: { webhookUrlEnv: 'TIDE_TEST_ALERT_HOOK', attempts: 2 },
    }));

  it('posts Slack-compatible text and the structured run, and never logs the URL', async () => {
    process.env.TIDE_TEST_ALERT_HS = 'pat-wrong-token';
    process.env.TIDE_TEST_ALERT_HOOK = receiver.url;
    const run = await tide('extract', '--config', project().file, '--json');
    expect(run.code).toBe(ExitCode.failure);
    expect(receiver.paths).toEqual(['/hooks/T0SECRET/B0SECRET/xoxSECRETPATH']);
    const body = receiver.bodies[0] as { text: string; tide: Record<string, unknown> };
    expect(body.text).toMatch(/^Tide run \d{14}-[0-9a-f]{8} \(tide extract\) FAILED, exit 1/);
    expect(body.text).toContain('hubspot.contacts: credentials_rejected');
    expect(body.tide).toMatchObject({ command: 'extract', status: 'failed', exitCode: 1 });
    // Every request was refused (401): the API error rate crossed its threshold in this run too.
    expect(body.tide.triggers).toEqual(['failed', 'breach']);
    expect(body.text).toContain('API error rate of hubspot: 100 % (threshold ≤ 0.5 %)');
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === 'alert sent')).toMatchObject({ stage: 'alerts', status: 200 });
    expect(lines.at(-1)).toMatchObject({ msg: 'summary', status: 'failed', exitCode: 1 });
    expect(run.stdout + run.stderr).not.toContain('SECRET');
  });

  it('a receiver that keeps failing changes nothing about the run', async () => {
    process.env.TIDE_TEST_ALERT_HS = 'pat-wrong-token';
    process.env.TIDE_TEST_ALERT_HOOK = receiver.url;
    receiver.reset([500, 500]);
    const run = await tide('extract', '--config', project().file);
    expect(run.code).toBe(ExitCode.failure);
    expect(receiver.bodies).toHaveLength(2);
    expect(run.stderr).toContain('alert not delivered');
    expect(run.stdout + run.stderr).not.toContain('SECRET');
  });
});
