import { Command } from 'commander';
import { registerDocs } from './commands/docs.js';
import { registerDoctor } from './commands/doctor.js';
import { registerExport } from './commands/export.js';
import { registerExtract } from './commands/extract.js';
import { registerModels } from './commands/models.js';
import { registerReverse } from './commands/reverse.js';
import { registerRun } from './commands/run.js';
import { registerSimulate } from './commands/simulate.js';
import { registerSql } from './commands/sql.js';
import { registerStatus } from './commands/status.js';
import { registerTypes } from './commands/types.js';

/** The `tide` command tree. Each command lives in cli/commands/<name>.ts and registers itself here. */
export function buildProgram(): Command {
  const program = new Command('tide')
    .description('ETL and reverse ETL for CRM data: extract → load → model → push back')
    .option('-c, --config <file>', 'pipeline config file', 'pipeline.config.ts')
    .option('--json', 'machine-readable JSON log lines on stdout, no progress bars', false)
    .option('-v, --verbose', 'debug logging', false)
    .showHelpAfterError()
    .exitOverride();

  registerRun(program);
  registerExtract(program);
  registerStatus(program);
  registerReverse(program);
  registerDoctor(program);
  registerSimulate(program);
  registerModels(program);
  registerSql(program);
  registerExport(program);
  registerTypes(program);
  registerDocs(program);
  return program;
}
