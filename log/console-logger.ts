import type { Logger } from '../core/logger.js';
import { redactFields } from './redact.js';
import { Terminal } from './terminal.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Fields that say where a line comes from; JSON lines put them first, human lines as a prefix. */
const CONTEXT = ['runId', 'stage', 'source', 'stream', 'sync', 'model'] as const;

export interface LoggerOptions {
  /** One JSON object per line on stdout (for cron, log shippers and scripts). */
  readonly json: boolean;
  readonly level?: Level;
  /** Where human lines go (default: stderr, through the Terminal the progress bars share). */
  readonly terminal?: Terminal;
  /** Where JSON lines go (default: stdout). */
  readonly write?: (line: string) => void;
  readonly bindings?: Readonly<Record<string, unknown>>;
  readonly now?: () => Date;
}

/**
 * Human lines on stderr by default (stdout stays clean for `tide sql` output), JSON lines on stdout
 * with `--json`. Fields go through the redactor first.
 *
 * A JSON line is `{ts, level, runId, stage, source|stream|sync|model, msg, ...fields}`: what a
 * line is about travels as fields a log shipper can filter on. A human line says the same as a
 * prefix (`hubspot.contacts: extracting  mode=incremental`) and leaves the run id and stage out.
 */
export class ConsoleLogger implements Logger {
  readonly #options: LoggerOptions;
  readonly #terminal: Terminal;

  constructor(options: LoggerOptions) {
    this.#options = options;
    this.#terminal = options.terminal ?? new Terminal({ animated: false });
  }

  child(bindings: Readonly<Record<string, unknown>>): ConsoleLogger {
    return new ConsoleLogger({
      ...this.#options,
      terminal: this.#terminal,
      bindings: { ...this.#options.bindings, ...bindings },
    });
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
    const context: Record<string, unknown> = {};
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(all)) {
      if ((CONTEXT as readonly string[]).includes(key)) {
        if (value !== undefined && value !== null) context[key] = value;
      } else rest[key] = value;
    }
    if (this.#options.json) {
      const ts = (this.#options.now ?? (() => new Date()))().toISOString();
      const ordered: Record<string, unknown> = { ts, level };
      for (const key of CONTEXT) if (key in context) ordered[key] = context[key];
      const line = JSON.stringify({ ...ordered, msg: message, ...rest }, jsonValue);
      (this.#options.write ?? ((l: string) => process.stdout.write(`${l}\n`)))(line);
      return;
    }
    const extras = Object.entries(rest)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, jsonValue)}`)
      .join(' ');
    const tag = level === 'info' ? '' : `${level.toUpperCase()} `;
    const prefix = prefixOf(context);
    // Connectors still name their stream in the text (`salesforce.Lead: …`): not twice.
    const text = prefix === '' || message.startsWith(prefix) ? message : `${prefix}: ${message}`;
    this.#terminal.line(`${tag}${text}${extras ? `  ${extras}` : ''}`);
  }
}

/** `hubspot.contacts`, `hubspot`, `sync scores_to_hubspot`, `model customers`, or nothing. */
function prefixOf(context: Readonly<Record<string, unknown>>): string {
  const { source, stream, sync, model } = context;
  if (typeof sync === 'string') return `sync ${sync}`;
  if (typeof model === 'string') return `model ${model}`;
  if (typeof source === 'string') return typeof stream === 'string' ? `${source}.${stream}` : source;
  return '';
}

/** BigInts (DuckDB counts) print as numbers-as-text instead of throwing. */
function jsonValue(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
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
