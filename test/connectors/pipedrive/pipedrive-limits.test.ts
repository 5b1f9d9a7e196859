import { afterEach, describe, expect, it } from 'vitest';
import { PipedriveSourceSchema } from '../../../connectors/pipedrive/pipedrive-config.js';
import { createPipedriveSource } from '../../../connectors/pipedrive/pipedrive-source.js';
import type { SourceRecord } from '../../../core/record.js';
import { TideError } from '../../../core/tide-error.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import {
  type StartedPipedriveSimulator,
  startPipedriveSimulator,
} from '../../../simulators/pipedrive/start-pipedrive-simulator.js';
import { readStream } from '../../conformance/read-stream.js';
import { pipedriveSourceFor, readContext, TOKEN_ENV, truthOf } from './pipedrive-harness.js';

let sim: StartedPipedriveSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('Pipedrive source: rate limits and budgets', () => {
  it('paces by the x-ratelimit-* headers: a small burst window costs time, not a storm of 429s', async () => {
    // 4 requests per 2 s: a fifth of what a client may send before its first response (20).
    sim = await startPipedriveSimulator({ seed: 2, scale: 3000, burstLimit: 4 });
    const bed = pipedriveSourceFor(sim);
    const streams = ['persons', 'organizations', 'deals', 'activities'];
    const reads = await Promise.all(streams.map((s) => readStream(bed.stream(s))));
    const stats = await sim.control.stats();
    // Three windows' worth, sent by four streams at once: without pacing most would be refused.
    expect(stats.total).toBeGreaterThanOrEqual(12);
    for (const [i, name] of streams.entries())
      expect(reads[i]!.records.length, name).toBe((await truthOf(sim, name)).size);
    // Only clock skew between client and server at a window's edge may still produce a 429.
    expect(stats.byStatus['429'] ?? 0).toBeLessThanOrEqual(3);

    // The limit comes from the headers, not from configuration: the account drops to 2 per 2 s.
    await sim.control.configure({ burstLimit: 2 });
    await sim.control.resetStats();
    const rerun = pipedriveSourceFor(sim);
    const again = await Promise.all(['persons', 'deals'].map((s) => readStream(rerun.stream(s))));
    expect(again.map((r) => r.records.length)).toEqual([reads[0]!.records.length, reads[2]!.records.length]);
    expect((await sim.control.stats()).total).toBeGreaterThanOrEqual(6);
    expect((await sim.control.stats()).byStatus['429'] ?? 0).toBeLessThanOrEqual(3);
  }, 60_000);

  it('retries a burst 429 after x-ratelimit-reset and finishes', async () => {
    sim = await startPipedriveSimulator({ seed: 2, scale: 600, burstLimit: 0 });
    const bed = pipedriveSourceFor(sim);
    await sim.control.faults({ rateLimit: 1, pathContains: '/api/v2/persons' });
    const read = await readStream(bed.stream('persons'));
    expect(read.records.length).toBe((await truthOf(sim, 'persons')).size);
    expect(bed.requests.rows().find((r) => r.status === 429)?.count).toBe(1);
  }, 20_000);

  it('stops with quota_exhausted when the daily token budget is spent, after yielding its checkpoints', async () => {
    // personFields (20 tokens) + three list pages (10 each): the fourth page is refused.
    sim = await startPipedriveSimulator({ seed: 4, scale: 6000, burstLimit: 0, dailyTokenBudget: 50 });
    const bed = pipedriveSourceFor(sim);
    const records: SourceRecord[] = [];
    const checkpoints = [];
    let failure: unknown;
    try {
      for await (const batch of bed.stream('persons').read(await readContext(bed, null))) {
        records.push(...batch.records);
        if (batch.checkpoint) checkpoints.push(batch.checkpoint);
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(TideError);
    expect((failure as TideError).code).toBe('quota_exhausted');
    expect(records.length).toBe(1500);
    expect(checkpoints.length).toBe(3);
    // Terminal: the refused request was not retried.
    expect((await sim.control.stats()).byStatus['429']).toBe(1);

    // The next day the run resumes from the last checkpoint and completes the table.
    await sim.control.configure({ resetDailyUsage: true, dailyTokenBudget: 0 });
    const rest = await readStream(pipedriveSourceFor(sim).stream('persons'), { cursor: checkpoints.at(-1)! });
    const ids = new Set([...records, ...rest.records].map((r) => r.id));
    expect(ids).toEqual(new Set((await truthOf(sim, 'persons')).keys()));
  }, 20_000);
});

describe('Pipedrive source: credentials', () => {
  it('a rejected token names its variable and never the token', async () => {
    sim = await startPipedriveSimulator({ seed: 1, scale: 100, burstLimit: 0 });
    const secret = 'wrong-token-5f3a9c';
    const bed = pipedriveSourceFor(sim, {}, { [TOKEN_ENV]: secret });
    const error = await bed.source.check().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TideError);
    expect((error as TideError).code).toBe('credentials_rejected');
    expect((error as TideError).message).toContain(TOKEN_ENV);
    expect(`${(error as TideError).message} ${(error as TideError).hint}`).not.toContain(secret);
    expect(bed.log.text()).not.toContain(secret);
  });

  it('OAuth access tokens go in a Bearer header', async () => {
    sim = await startPipedriveSimulator({ seed: 1, scale: 100, burstLimit: 0 });
    const bed = pipedriveSourceFor(
      sim,
      { apiTokenEnv: undefined, oauthTokenEnv: 'PD_OAUTH' },
      { PD_OAUTH: sim.apiToken },
    );
    await expect(bed.source.check()).resolves.toBeUndefined();
  });

  it('a missing variable is credentials_missing, naming the variable; config needs exactly one token', () => {
    const config = PipedriveSourceSchema.parse({ kind: 'pipedrive', apiTokenEnv: 'PD_TOKEN_UNSET' });
    expect(() => createPipedriveSource(config, { env: {}, log: new MemoryLogger() })).toThrow(
      expect.objectContaining({
        code: 'credentials_missing',
        message: expect.stringContaining('PD_TOKEN_UNSET'),
      }),
    );
    expect(PipedriveSourceSchema.safeParse({ kind: 'pipedrive' }).success).toBe(false);
    expect(
      PipedriveSourceSchema.safeParse({ kind: 'pipedrive', apiTokenEnv: 'A', oauthTokenEnv: 'B' }).success,
    ).toBe(false);
    expect(PipedriveSourceSchema.parse({ kind: 'pipedrive', apiTokenEnv: 'A' }).streams).toHaveLength(6);
  });
});
