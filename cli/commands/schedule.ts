import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Logger } from '../../core/logger.js';
import { ExitCode } from '../../core/tide-error.js';
import { type ScheduledRun, Scheduler } from '../../ops/schedule/scheduler.js';
import { commandAction } from '../command-action.js';

const ScheduleFlags = z.object({
  timezone: z.string().min(1).optional(),
  report: z.union([z.string().min(1), z.boolean()]).optional(),
});

/** Tide's own bin: the scheduled runs are exactly `tide run`, whatever folder the scheduler runs in. */
const TIDE_BIN = fileURLToPath(new URL('../../bin/tide.mjs', import.meta.url));

/**
 * `tide schedule "<cron>"`: runs `tide run` on a cron expression until stopped. Each run is a child
 * process (the config is read afresh, memory starts clean every night, and a crash of one run does
 * not end the schedule); a tick while a run is still going is skipped and logged. SIGTERM / SIGINT
 * stop the schedule: the run in progress is stopped gracefully and awaited; the exit code is that
 * run's (3: partial) or 0.
 */
export function registerSchedule(program: Command): void {
  program
    .command('schedule')
    .description(
      'run the pipeline on a cron schedule, never two runs at once (e.g. tide schedule "0 2 * * *")',
    )
    .argument('<cron>', 'minute hour day-of-month month day-of-week (a sixth, leading field: seconds)')
    .option('--timezone <zone>', 'IANA time zone the expression is read in (default: the machine’s)')
    .option('--report [file]', 'write the health report after each run')
    .action(
      commandAction(async (ctx, cron: string, raw: unknown) => {
        const flags = ScheduleFlags.parse(raw);
        // The config is checked now (exit 2), not at the first tick hours from now.
        await ctx.config();
        const config = resolve(ctx.options.config);
        const args = [
          TIDE_BIN,
          'run',
          '--config',
          config,
          ...(ctx.options.json ? ['--json'] : []),
          ...(ctx.options.verbose ? ['--verbose'] : []),
          ...(ctx.options.wait > 0 ? ['--wait', String(ctx.options.wait)] : []),
          ...(flags.report === undefined || flags.report === false
            ? []
            : typeof flags.report === 'string'
              ? ['--report', flags.report]
              : ['--report']),
        ];
        const log = ctx.log;
        const scheduler = new Scheduler({
          cron,
          ...(flags.timezone ? { timezone: flags.timezone } : {}),
          log,
          start: () => startRun(args, log),
        });
        const onSignal = (signal: NodeJS.Signals): void => scheduler.stop(signal);
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        try {
          const summary = await scheduler.run();
          ctx.invocation.count({ runs: summary.runs, skipped: summary.skipped, failed: summary.failed });
          return summary.interruptedExit === null || summary.interruptedExit === 0
            ? ExitCode.ok
            : summary.interruptedExit === ExitCode.partial
              ? ExitCode.partial
              : ExitCode.failure;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      }),
    );
}

function startRun(args: readonly string[], log: Logger): ScheduledRun {
  // Its own process group: a terminal's Ctrl-C reaches the scheduler, which passes it on once.
  const child = spawn(process.execPath, [...args], { stdio: 'inherit', detached: true });
  log.info('run started', { pid: child.pid ?? null });
  const exited = new Promise<number>((done) => {
    child.once('error', (error) => {
      log.error(`could not start ${TIDE_BIN}`, { error: error.message });
      done(ExitCode.failure);
    });
    // Killed by a signal it did not handle: 128 + the signal's number, as a shell reports it.
    child.once('exit', (code, signal) =>
      done(code ?? (signal === null ? ExitCode.failure : 128 + (constants.signals[signal] ?? 15))),
    );
  });
  return {
    exited,
    stop: (signal) => {
      if (child.exitCode === null) child.kill(signal);
    },
  };
}
