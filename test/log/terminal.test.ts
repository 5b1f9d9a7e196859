import { describe, expect, it } from 'vitest';
import { ConsoleLogger } from '../../log/console-logger.js';
import { formatBar, ProgressReporter } from '../../log/progress-reporter.js';
import { Terminal } from '../../log/terminal.js';

/** A stream that records every write, as a TTY or not. */
function capture(isTTY: boolean): {
  stream: { isTTY: boolean; columns: number; write(t: string): boolean };
  writes: string[];
} {
  const writes: string[] = [];
  return {
    stream: {
      isTTY,
      columns: 120,
      write: (text: string) => {
        writes.push(text);
        return true;
      },
    },
    writes,
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what is checked for
const ANSI = /\u001b\[/;

describe('one terminal for log lines and progress bars', () => {
  it('on a TTY, a line logged while bars are drawn is written whole, above the bars, clearing its row', async () => {
    const { stream, writes } = capture(true);
    const terminal = new Terminal({ stream });
    const log = new ConsoleLogger({ json: false, terminal });
    const progress = new ProgressReporter(terminal);
    progress.total('hubspot.contacts', 5_000);
    progress.page('hubspot.contacts', 200);
    log.info('extracting', { source: 'salesforce', stream: 'Lead', mode: 'incremental' });
    progress.page('salesforce.Lead', 8);
    progress.stop();
    const out = writes.join('');
    // The log line is one write of its own, never part of a bar's redraw.
    const line = writes.find((w) => w.includes('salesforce.Lead: extracting'));
    expect(line).toBe('salesforce.Lead: extracting  mode=incremental\u001b[K\n');
    expect(out).toContain(' hubspot.contacts [');
    expect(out).toContain('200/5,000 records');
    expect(out).toContain(' salesforce.Lead | 8 records | 1 pages');
    // What the bug looked like: a bar's text glued to a log line.
    expect(out).not.toMatch(/rec\/ssalesforce/);
  });

  it('not a TTY (cron, a pipe): whole lines only, no bar and no escape code', () => {
    const { stream, writes } = capture(false);
    const terminal = new Terminal({ stream });
    const log = new ConsoleLogger({ json: false, terminal });
    const progress = new ProgressReporter(terminal);
    progress.total('hubspot.contacts', 5_000);
    for (let i = 0; i < 20; i++) progress.page('hubspot.contacts', 100);
    log.warn('stopped by quota; partial', { source: 'hubspot', stream: 'contacts', records: 2000 });
    progress.done('hubspot.contacts');
    progress.stop();
    expect(writes).toEqual(['WARN hubspot.contacts: stopped by quota; partial  records=2000\n']);
    expect(writes.join('')).not.toMatch(ANSI);
  });

  it('a bar names the stream, shows the total and an ETA when the CRM told the total, and not otherwise', () => {
    expect(
      formatBar(
        {},
        {},
        { name: 'salesforce.Lead', records: 2_500, pages: 3, rate: 500, total: 10_000, eta: 15 },
      ),
    ).toBe(' salesforce.Lead [█████░░░░░░░░░░░░░░░] 2,500/10,000 records | 3 pages | 500 rec/s | ETA 15s');
    expect(
      formatBar(
        {},
        {},
        { name: 'pipedrive.persons', records: 1_030, pages: 3, rate: 1_570, total: null, eta: null },
      ),
    ).toBe(' pipedrive.persons | 1,030 records | 3 pages | 1,570 rec/s');
  });
});

describe('log lines say what they are about as fields', () => {
  it('JSON: ts, level, runId, stage, source and stream first, the message without them', () => {
    const lines: string[] = [];
    const log = new ConsoleLogger({
      json: true,
      write: (l) => lines.push(l),
      bindings: { runId: 'r1', stage: 'extract' },
      now: () => new Date('2026-01-02T03:04:05.000Z'),
    });
    log.info('done', { source: 'hubspot', stream: 'contacts', records: 3, token: 'secret' });
    expect(lines).toEqual([
      '{"ts":"2026-01-02T03:04:05.000Z","level":"info","runId":"r1","stage":"extract","source":"hubspot","stream":"contacts","msg":"done","records":3,"token":"[redacted]"}',
    ]);
  });

  it('human: the context becomes a prefix, run id and stage stay out, a connector’s own prefix is not doubled', () => {
    const { stream, writes } = capture(false);
    const log = new ConsoleLogger({
      json: false,
      terminal: new Terminal({ stream }),
      bindings: { runId: 'r1', stage: 'x' },
    });
    log.info('pushing', { sync: 'scores_to_hubspot', mode: 'update' });
    log.info('salesforce.Lead: Bulk API 2.0 query job created', { source: 'salesforce', stream: 'Lead' });
    log.error('failed', { model: 'customers', code: 'model_error' });
    expect(writes).toEqual([
      'sync scores_to_hubspot: pushing  mode=update\n',
      'salesforce.Lead: Bulk API 2.0 query job created\n',
      'ERROR model customers: failed  code=model_error\n',
    ]);
  });
});
