import type cliProgress from 'cli-progress';
import type { ProgressSink } from '../core/source.js';
import type { Terminal } from './terminal.js';

interface Row {
  readonly name: string;
  bar: cliProgress.SingleBar;
  records: number;
  pages: number;
  total: number | null;
  readonly started: number;
}

/**
 * Live progress of long work on a terminal, one bar per stream (`hubspot.contacts`) or sync: records,
 * pages, rate, and a bar with the total and an ETA when the CRM said how many records the read will
 * return. The bars live in the Terminal, which also prints the log lines, so the two never
 * interleave. Nothing is drawn when the terminal may not animate (not a TTY, --json).
 */
export class ProgressReporter implements ProgressSink {
  readonly #terminal: Terminal;
  readonly #rows = new Map<string, Row>();
  readonly #now: () => number;

  constructor(terminal: Terminal, options: { now?: () => number } = {}) {
    this.#terminal = terminal;
    this.#now = options.now ?? Date.now;
  }

  page(name: string, records: number): void {
    const row = this.#row(name);
    if (row === null) return;
    row.records += records;
    row.pages += 1;
    this.#draw(row);
  }

  total(name: string, records: number): void {
    const row = this.#row(name);
    if (row === null) return;
    // A read may say its total more than once (each search window): the largest is the read's.
    row.total = Math.max(row.total ?? 0, records);
    row.bar.setTotal(row.total);
    this.#draw(row);
  }

  done(name: string): void {
    const row = this.#rows.get(name);
    if (row === undefined) return;
    this.#rows.delete(name);
    // Only work in progress keeps a bar: the screen holds a few bars, never one per stream.
    this.#terminal.removeBar(row.bar);
  }

  stop(): void {
    this.#terminal.stopBars();
    this.#rows.clear();
  }

  #row(name: string): Row | null {
    const existing = this.#rows.get(name);
    if (existing) return existing;
    const bars = this.#terminal.bars(formatBar);
    if (bars === null) return null;
    const row: Row = {
      name,
      bar: bars.create(0, 0, {}),
      records: 0,
      pages: 0,
      total: null,
      started: this.#now(),
    };
    this.#rows.set(name, row);
    return row;
  }

  #draw(row: Row): void {
    const seconds = Math.max(0.001, (this.#now() - row.started) / 1000);
    const rate = row.records / seconds;
    const payload: BarPayload = {
      name: row.name,
      records: row.records,
      pages: row.pages,
      rate: Math.round(rate),
      total: row.total,
      eta: row.total === null || rate <= 0 ? null : Math.max(0, (row.total - row.records) / rate),
    };
    // The bar's value is capped at its total: an incremental read may return a few records twice.
    row.bar.update(row.total === null ? 0 : Math.min(row.records, row.total), payload);
  }
}

interface BarPayload {
  readonly name: string;
  readonly records: number;
  readonly pages: number;
  readonly rate: number;
  readonly total: number | null;
  /** Seconds left at the current rate; null without a total. */
  readonly eta: number | null;
}

const BAR_WIDTH = 20;

/** One bar line: `hubspot.contacts [████░░] 1,200/5,000 records | 12 pages | 850 rec/s | ETA 4s`. */
export function formatBar(_options: unknown, _params: unknown, payload: Partial<BarPayload>): string {
  const name = payload.name ?? '';
  const records = payload.records ?? 0;
  const tail = `${payload.pages ?? 0} pages | ${(payload.rate ?? 0).toLocaleString('en-US')} rec/s`;
  const total = payload.total ?? null;
  if (total === null || total === 0) return ` ${name} | ${records.toLocaleString('en-US')} records | ${tail}`;
  const filled = Math.round(Math.min(1, records / total) * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const eta = payload.eta === null || payload.eta === undefined ? '' : ` | ETA ${humanSeconds(payload.eta)}`;
  return ` ${name} [${bar}] ${records.toLocaleString('en-US')}/${total.toLocaleString('en-US')} records | ${tail}${eta}`;
}

export function humanSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}

export const silentProgress: ProgressSink = { page: () => {} };
