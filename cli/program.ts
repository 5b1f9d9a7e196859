import { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Every command: its name, the line `tide --help` shows, and where it lives (cli/commands/<name>.ts,
 * which registers its options and action). Only the command being run is imported: the others
 * would pull in every connector, DuckDB and the model runner, which is most of a second of startup
 * that `tide --help` and `tide sql` do not need (BENCHMARKS.md: CLI startup).
 */
const COMMANDS: readonly { name: string; usage: string; summary: string; load: () => Promise<Register> }[] = [
  {
    name: 'run',
    usage: '[options]',
    summary: 'run every configured stage: extract → load → models → reverse ETL',
    load: async () => (await import('./commands/run.js')).registerRun,
  },
  {
    name: 'extract',
    usage: '[options]',
    summary: 'extract CRM records incrementally and load them into the warehouse',
    load: async () => (await import('./commands/extract.js')).registerExtract,
  },
  {
    name: 'status',
    usage: '',
    summary: 'per stream: cursor, last completed load, row count and freshness',
    load: async () => (await import('./commands/status.js')).registerStatus,
  },
  {
    name: 'reverse',
    usage: '[options]',
    summary: 'push changed model rows back into the CRMs (the syncs in the config)',
    load: async () => (await import('./commands/reverse.js')).registerReverse,
  },
  {
    name: 'doctor',
    usage: '',
    summary: 'check config, credentials, warehouse and every sync mapping without writing anything',
    load: async () => (await import('./commands/doctor.js')).registerDoctor,
  },
  {
    name: 'simulate',
    usage: '[options]',
    summary: 'start the CRM simulators of the configured sources standalone and print their base URLs',
    load: async () => (await import('./commands/simulate.js')).registerSimulate,
  },
  {
    name: 'models',
    usage: '<run|test|compile> [options]',
    summary: 'build and test the SQL models (models/*.sql)',
    load: async () => (await import('./commands/models.js')).registerModels,
  },
  {
    name: 'sql',
    usage: '[options] <query>',
    summary: 'run a SQL query on the warehouse (e.g. tide sql "select * from analytics.customers limit 10")',
    load: async () => (await import('./commands/sql.js')).registerSql,
  },
  {
    name: 'export',
    usage: '[options] <model>',
    summary: 'write a model (e.g. analytics.customers) to a Parquet, CSV, Arrow IPC or JSON file',
    load: async () => (await import('./commands/export.js')).registerExport,
  },
  {
    name: 'types',
    usage: '[options]',
    summary: 'write the Kysely Database interface of the warehouse tables (typed queries in TypeScript)',
    load: async () => (await import('./commands/types.js')).registerTypes,
  },
  {
    name: 'docs',
    usage: '[options]',
    summary: 'write a static documentation site of the models, with lineage (open <out>/index.html)',
    load: async () => (await import('./commands/docs.js')).registerDocs,
  },
  {
    name: 'report',
    usage: '[options]',
    summary: 'write the health report: one HTML file with charts over the run history (works offline)',
    load: async () => (await import('./commands/report.js')).registerReport,
  },
  {
    name: 'schedule',
    usage: '[options] <cron>',
    summary: 'run the pipeline on a cron schedule, never two runs at once (e.g. tide schedule "0 2 * * *")',
    load: async () => (await import('./commands/schedule.js')).registerSchedule,
  },
];

/**
 * The `tide` command tree for one command line: the command it names is registered in full, every
 * other one as its name and summary (enough for `tide --help`).
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('tide')
    .description('ETL and reverse ETL for CRM data: extract → load → model → push back')
    .option('-c, --config <file>', 'pipeline config file', 'pipeline.config.ts')
    .option(
      '--json',
      'JSON log lines on stdout (ts, level, runId, stage, …; last line: a summary), no progress bars',
      false,
    )
    .option('-v, --verbose', 'debug logging', false)
    .option(
      '--wait <seconds>',
      'when another process has the warehouse file open, wait up to this long for it',
      '0',
    )
    .showHelpAfterError()
    .exitOverride();
  const named = commandNamed(argv);
  for (const command of COMMANDS) {
    if (command.name === named) (await command.load())(program);
    else program.command(command.name).usage(command.usage).description(command.summary);
  }
  return program;
}

/** The command a command line names: its first word that is neither a flag nor a flag's value. */
export function commandNamed(argv: readonly string[]): string | null {
  const takesValue = new Set(['-c', '--config', '--wait']);
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (takesValue.has(arg)) i++;
    else if (!arg.startsWith('-')) {
      // `tide help run` shows run's full help.
      if (arg === 'help') return argv.slice(i + 1).find((a) => !a.startsWith('-')) ?? null;
      return arg;
    }
  }
  return null;
}
