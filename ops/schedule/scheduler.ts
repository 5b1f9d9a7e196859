import { Cron } from 'croner';
import type { Logger } from '../../core/logger.js';
import { TideError } from '../../core/tide-error.js';

/** One pipeline run the scheduler started: how it ends, and how to ask it to stop. */
export interface ScheduledRun {
  /** The run's exit code. */
  readonly exited: Promise<number>;
  stop(signal: NodeJS.Signals): void;
}

export interface SchedulerOptions {
  /** Five fields (minute hour day month weekday), or six with seconds first. */
  readonly cron: string;
  /** IANA zone the expression is read in (default: the machine's). */
  readonly timezone?: string;
  readonly log: Logger;
  /** Starts one run. */
  readonly start: () => ScheduledRun;
}

/** What a scheduler did, when it stopped. */
export interface SchedulerSummary {
  readonly runs: number;
  readonly skipped: number;
  readonly failed: number;
  /** The exit code of the run a stop interrupted; null when none was going. */
  readonly interruptedExit: number | null;
}

/**
 * Runs the pipeline on a cron expression (croner, which also refuses a tick while the previous run
 * is still going: `protect`). Never two runs at once: a tick that finds a run going is skipped and
 * logged. `stop()` ends the schedule gracefully: no new tick; a run in progress is passed the
 * signal (it commits or rolls back its open load package and exits partial) and awaited.
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #job: Cron;
  #current: ScheduledRun | null = null;
  #runs = 0;
  #skipped = 0;
  #failed = 0;
  #stopping = false;
  #finished: (summary: SchedulerSummary) => void = () => {};
  readonly #done: Promise<SchedulerSummary>;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#done = new Promise((resolve) => {
      this.#finished = resolve;
    });
    try {
      this.#job = new Cron(
        options.cron,
        {
          paused: true,
          ...(options.timezone === undefined ? {} : { timezone: options.timezone }),
          protect: (job) => {
            this.#skipped++;
            options.log.warn('skipped a tick: the previous run is still going', {
              tick: new Date().toISOString(),
              next: job.nextRun()?.toISOString() ?? null,
            });
          },
        },
        () => this.#tick(),
      );
    } catch (error) {
      throw new TideError('config_invalid', `invalid cron expression "${options.cron}": ${message(error)}`, {
        hint: 'five fields: minute hour day-of-month month day-of-week, e.g. "0 2 * * *" for 02:00 every day',
      });
    }
  }

  /** Starts ticking; resolves when stop() has ended the schedule (and any run it interrupted). */
  run(): Promise<SchedulerSummary> {
    this.#job.resume();
    this.#options.log.info('schedule started', {
      cron: this.#options.cron,
      next: this.#job.nextRun()?.toISOString() ?? null,
    });
    return this.#done;
  }

  /** The next tick's time (null when the expression has none left). */
  nextRun(): Date | null {
    return this.#job.nextRun();
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): void {
    const current = this.#current;
    if (this.#stopping) {
      // Asked twice: pass it on; the run exits at once.
      current?.stop(signal);
      return;
    }
    this.#stopping = true;
    this.#job.stop();
    if (current === null) {
      this.#options.log.info('schedule stopped', { runs: this.#runs, skipped: this.#skipped });
      this.#finished(this.#summary(null));
      return;
    }
    this.#options.log.warn(`${signal}: stopping the run in progress, then the schedule`);
    current.stop(signal);
  }

  async #tick(): Promise<void> {
    if (this.#stopping) return;
    this.#runs++;
    const run = this.#options.start();
    this.#current = run;
    let code: number;
    try {
      code = await run.exited;
    } finally {
      this.#current = null;
    }
    if (code !== 0) this.#failed++;
    if (this.#stopping) {
      this.#options.log.info('schedule stopped', {
        runs: this.#runs,
        skipped: this.#skipped,
        exitCode: code,
      });
      this.#finished(this.#summary(code));
      return;
    }
    this.#options.log.info('run ended; waiting for the next tick', {
      exitCode: code,
      next: this.#job.nextRun()?.toISOString() ?? null,
    });
  }

  #summary(interruptedExit: number | null): SchedulerSummary {
    return { runs: this.#runs, skipped: this.#skipped, failed: this.#failed, interruptedExit };
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
