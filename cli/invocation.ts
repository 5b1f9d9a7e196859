import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Command } from 'commander';
import { ExitCode } from '../core/tide-error.js';
import { ConsoleLogger } from '../log/console-logger.js';
import { Terminal } from '../log/terminal.js';

export type InvocationStatus = 'success' | 'partial' | 'failed';

/** A new run id: sortable by start time, unique without coordination. */
export function newRunId(at: Date = new Date()): string {
  return `${at
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomUUID().slice(0, 8)}`;
}

/** The status an exit code stands for (README: exit codes). */
export function statusOf(exitCode: number): InvocationStatus {
  if (exitCode === ExitCode.ok) return 'success';
  if (exitCode === ExitCode.partial) return 'partial';
  return 'failed';
}

/**
 * One `tide …` process from start to exit: its run id (on every log line from the first, and in
 * `tide.runs`), the terminal its log lines and progress bars share, the counts its summary line
 * reports, and the stop signal of a graceful shutdown. main() makes it before parsing the command
 * line, so even a config error is logged under the run's id.
 */
export class Invocation {
  readonly runId: string;
  readonly startedAt: Date;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly terminal: Terminal;
  /** The command as typed (`models run`), set when commander dispatches it. */
  command = '';
  /** What the command's handler returned (a partial run or failed tests exit non-zero without throwing). */
  exitCode = 0;
  readonly #counts: Record<string, unknown> = {};
  readonly #write: ((line: string) => void) | undefined;
  #stop: AbortController | null = null;
  #removeHandlers: (() => void) | null = null;

  constructor(options: {
    json: boolean;
    verbose: boolean;
    terminal?: Terminal;
    write?: (line: string) => void;
    now?: Date;
  }) {
    this.startedAt = options.now ?? new Date();
    this.runId = newRunId(this.startedAt);
    this.json = options.json;
    this.verbose = options.verbose;
    this.terminal = options.terminal ?? new Terminal({ animated: !options.json });
    this.#write = options.write;
  }

  /** The logger of a part of the invocation; `stage` defaults to the command. */
  logger(bindings: Readonly<Record<string, unknown>> = {}): ConsoleLogger {
    return new ConsoleLogger({
      json: this.json,
      level: this.verbose ? 'debug' : 'info',
      terminal: this.terminal,
      ...(this.#write ? { write: this.#write } : {}),
      bindings: { runId: this.runId, stage: this.command.split(' ')[0] || 'cli', ...bindings },
    });
  }

  /** Counts for the summary line (records, rows, checks …), merged in as commands report them. */
  count(counts: Readonly<Record<string, unknown>>): void {
    Object.assign(this.#counts, counts);
  }

  /**
   * SIGINT / SIGTERM stop the work gracefully from now on: the signal aborts, the stages finish or
   * roll back what is in flight, and the command exits as partial. A second signal exits at once.
   */
  stopSignal(log: ConsoleLogger): AbortSignal {
    if (this.#stop !== null) return this.#stop.signal;
    const stop = new AbortController();
    // Every request in flight listens to this one signal (Pipedrive's per-record writes run a dozen
    // at once): many listeners are expected here, not a leak, so Node's warning at 11 is off.
    setMaxListeners(0, stop.signal);
    this.#stop = stop;
    let first = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      // One stop often arrives twice at once: a terminal's Ctrl-C and systemd's stop signal the
      // whole process group, and `tide schedule` passes it on too. Only a later one means "now".
      if (stop.signal.aborted && Date.now() - first < 1_000) return;
      if (stop.signal.aborted) {
        log.error(`${signal} again: exiting now; the next run repeats any load package left open`);
        process.exit(ExitCode.partial);
      }
      first = Date.now();
      log.warn(`${signal}: stopping after the work in flight (${signal} again to exit at once)`);
      stop.abort(new Error(`stopped by ${signal}`));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    this.#removeHandlers = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
    return stop.signal;
  }

  /**
   * The last line of every command under --json: status, exit code, duration and counts. Removes
   * the signal handlers (the process is about to exit).
   */
  finish(exitCode: number, now: Date = new Date()): void {
    this.#removeHandlers?.();
    this.terminal.stopBars();
    if (!this.json) return;
    this.logger().info('summary', {
      command: this.command || null,
      status: statusOf(exitCode),
      exitCode,
      durationMs: now.getTime() - this.startedAt.getTime(),
      counts: this.#counts,
    });
  }
}

const invocations = new WeakMap<Command, Invocation>();

export function bindInvocation(program: Command, invocation: Invocation): void {
  invocations.set(program, invocation);
}

/** The invocation of the program a command belongs to (one is made when a test builds a bare program). */
export function invocationOf(command: Command): Invocation {
  let root = command;
  while (root.parent) root = root.parent;
  let invocation = invocations.get(root);
  if (invocation === undefined) {
    const options = root.opts();
    invocation = new Invocation({ json: options.json === true, verbose: options.verbose === true });
    invocations.set(root, invocation);
  }
  return invocation;
}
