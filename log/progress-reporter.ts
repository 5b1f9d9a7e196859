import cliProgress from 'cli-progress';
import type { ProgressSink } from '../core/source.js';

/**
 * Live progress for long work on a terminal: records, pages and rate per stream. Silent when stderr is
 * not a TTY or in --json mode, so cron mail and log files stay clean.
 */
export class ProgressReporter implements ProgressSink {
  readonly #bars: cliProgress.MultiBar | null;
  readonly #rows = new Map<
    string,
    { bar: cliProgress.SingleBar; records: number; pages: number; started: number }
  >();

  constructor(options: { enabled: boolean }) {
    this.#bars = options.enabled
      ? new cliProgress.MultiBar(
          {
            format: ' {stream} | {records} records | {pages} pages | {rate} rec/s',
            hideCursor: true,
            clearOnComplete: false,
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  }

  page(stream: string, records: number): void {
    if (this.#bars === null) return;
    let row = this.#rows.get(stream);
    if (!row) {
      row = {
        bar: this.#bars.create(0, 0, { stream, records: 0, pages: 0, rate: 0 }),
        records: 0,
        pages: 0,
        started: Date.now(),
      };
      this.#rows.set(stream, row);
    }
    row.records += records;
    row.pages += 1;
    const seconds = Math.max(0.001, (Date.now() - row.started) / 1000);
    row.bar.update(0, {
      stream,
      records: row.records,
      pages: row.pages,
      rate: Math.round(row.records / seconds),
    });
  }

  stop(): void {
    this.#bars?.stop();
  }
}

export const silentProgress: ProgressSink = { page: () => {} };
