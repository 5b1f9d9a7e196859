import type { Logger } from '../core/logger.js';
import { redactFields } from './redact.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  /** One JSON object per line on stdout (for cron, log shippers and scripts). */
  readonly json: boolean;
  readonly level?: Level;
  readonly write?: (line: string) => void;
  readonly bindings?: Readonly<Record<string, unknown>>;
}

/**
 * Human lines on stderr by default (stdout stays clean for `tide sql` output), JSON lines on stdout
 * with `--json`. Fields go through the redactor first.
 */
export class ConsoleLogger implements Logger {
  readonly #options: LoggerOptions;

  constructor(options: LoggerOptions) {
    this.#options = options;
  }

  child(bindings: Readonly<Record<string, unknown>>): ConsoleLogger {
    return new ConsoleLogger({ ...this.#options, bindings: { ...this.#options.bindings, ...bindings } });
  }

  debug(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.#log('debug', message, fields);
  }
  info(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.#log('info', message, fields);
  }
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.#log('warn', message, fields);
  }
  error(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.#log('error', message, fields);
  }

  #log(level: Level, message: string, fields?: Readonly<Record<string, unknown>>): void {
    if (ORDER[level] < ORDER[this.#options.level ?? 'info']) return;
    const all = redactFields({ ...this.#options.bindings, ...fields });
    if (this.#options.json) {
      const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...all });
      (this.#options.write ?? ((l: string) => process.stdout.write(`${l}\n`)))(line);
      return;
    }
    const extras = Object.entries(all)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    const tag = level === 'info' ? '' : `${level.toUpperCase()} `;
    (this.#options.write ?? ((l: string) => process.stderr.write(`${l}\n`)))(
      `${tag}${message}${extras ? `  ${extras}` : ''}`,
    );
  }
}

/** For tests and library use: collects entries instead of printing. */
export class MemoryLogger implements Logger {
  readonly entries: { level: Level; message: string; fields: Record<string, unknown> }[] = [];
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'debug', message, fields: redactFields(fields ?? {}) });
  }
  info(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'info', message, fields: redactFields(fields ?? {}) });
  }
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'warn', message, fields: redactFields(fields ?? {}) });
  }
  error(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'error', message, fields: redactFields(fields ?? {}) });
  }
  text(): string {
    return this.entries.map((e) => `${e.level} ${e.message} ${JSON.stringify(e.fields)}`).join('\n');
  }
}
