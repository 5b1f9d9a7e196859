import { z } from 'zod';
import type { StatsSnapshot } from './request-stats.js';

const PendingSchema = z.object({ pending: z.number().int().nonnegative() });

/** A typed client for the `/_sim/` control API, for tests, benchmarks and the demo. */
export class SimControlClient {
  readonly #base: string;

  constructor(baseUrl: string) {
    this.#base = baseUrl.replace(/\/$/, '');
  }

  async #call(method: string, path: string, body?: unknown, raw?: string): Promise<unknown> {
    const res = await fetch(`${this.#base}/_sim/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: raw ?? (body === undefined ? null : JSON.stringify(body)),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator control ${method} ${path}: ${res.status} ${text}`);
    return text === '' ? null : JSON.parse(text);
  }

  advanceClock(ms: number): Promise<unknown> {
    return this.#call('POST', 'clock/advance', { ms });
  }
  mutate(body: Readonly<Record<string, unknown>>): Promise<unknown> {
    return this.#call('POST', 'mutate', body);
  }
  faults(plan: Readonly<Record<string, unknown>>): Promise<unknown> {
    return this.#call('POST', 'faults', plan);
  }
  clearFaults(): Promise<unknown> {
    return this.#call('DELETE', 'faults');
  }
  /** Counted faults set through `faults()` that the simulator has not served yet. */
  async pendingFaults(): Promise<number> {
    return PendingSchema.parse(await this.#call('GET', 'faults')).pending;
  }
  async stats(): Promise<StatsSnapshot> {
    return (await this.#call('GET', 'stats')) as StatsSnapshot;
  }
  resetStats(): Promise<unknown> {
    return this.#call('DELETE', 'stats');
  }
  configure(body: Readonly<Record<string, unknown>>): Promise<unknown> {
    return this.#call('POST', 'config', body);
  }
  loadNdjson(object: string, lines: readonly unknown[]): Promise<unknown> {
    return this.#call('POST', `load/${object}`, undefined, lines.map((l) => JSON.stringify(l)).join('\n'));
  }
  async truth(object: string): Promise<unknown[]> {
    const res = await fetch(`${this.#base}/_sim/truth/${object}`);
    if (!res.ok) throw new Error(`simulator truth ${object}: ${res.status}`);
    return (await res.text())
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as unknown);
  }
}
