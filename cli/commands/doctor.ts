import type { Command } from 'commander';
import type { PipelineConfig } from '../../config/schema.js';
import { connectorFor } from '../../connectors/registry.js';
import { ExitCode, isTideError } from '../../core/tide-error.js';
import type { Warehouse } from '../../load/warehouse.js';
import { checkColumns } from '../../reverse/column-check.js';
import { describeConflictRules } from '../../reverse/conflict-rules.js';
import { PushSql } from '../../reverse/push-sql.js';
import { checkSyncFields } from '../../reverse/run-sync.js';
import type { SyncConfig } from '../../reverse/sync-config.js';
import type { CliContext } from '../cli-context.js';
import { commandAction } from '../command-action.js';
import {
  missingWarehouseFile,
  type OpenedSources,
  openSources,
  openWarehouseWaiting,
} from '../pipeline-session.js';
import { formatTable } from '../stages/extract-stage.js';
import { modelInputs } from '../stages/models-stage.js';

interface Check {
  readonly check: string;
  /** warn: works, but needs doing (models not built yet); failed: cannot work as configured. */
  readonly status: 'ok' | 'warn' | 'failed';
  readonly detail: string;
}

const MODELS_HINT = 'run `tide models run` (or `tide run`)';

/**
 * `tide doctor`: everything that can be checked without moving data. The config parses; each source's
 * credentials work; the warehouse opens (a warehouse file that does not exist yet is not created: the
 * first run makes it); the models are built; each sync's source has its columns and every mapped CRM
 * field exists and is writable (HubSpot properties, Salesforce describe, Pipedrive *Fields …). Exit 1
 * only for a failed check; warnings exit 0.
 */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check config, credentials, warehouse and every sync mapping without writing anything')
    .action(
      commandAction(async (ctx) => {
        const config = await ctx.config();
        const checks: Check[] = [{ check: 'config', status: 'ok', detail: ctx.options.config }];
        let opened: OpenedSources;
        try {
          opened = await openSources(config, ctx.log);
        } catch (error) {
          checks.push({ check: 'sources', status: 'failed', detail: describe(error) });
          return report(ctx, checks);
        }
        let warehouse: Warehouse | null = null;
        try {
          for (const { config: source, source: s } of opened.sources) {
            try {
              await s.check();
              checks.push({
                check: `source ${source.name}`,
                status: 'ok',
                detail: `${source.kind}: credentials work`,
              });
            } catch (error) {
              checks.push({ check: `source ${source.name}`, status: 'failed', detail: describe(error) });
            }
          }
          const missing = missingWarehouseFile(config.warehouse);
          if (missing !== null) {
            checks.push({
              check: 'warehouse',
              status: 'warn',
              detail: `${missing} does not exist yet: the first \`tide run\` creates it`,
            });
            checks.push({ check: 'models', status: 'warn', detail: `models not built yet, ${MODELS_HINT}` });
          } else {
            try {
              // Read-only: doctor creates nothing, and runs beside other readers.
              warehouse = await openWarehouseWaiting(config.warehouse, ctx.log, ctx.options.wait, {
                readOnly: true,
              });
              checks.push({ check: 'warehouse', status: 'ok', detail: warehouse.dialect.name });
              checks.push(await modelsCheck(config, warehouse));
            } catch (error) {
              checks.push({ check: 'warehouse', status: 'failed', detail: describe(error) });
            }
          }
          const sql = warehouse === null ? null : new PushSql(warehouse.dialect);
          for (const sync of config.syncs) {
            const target = opened.sources.find((s) => s.config.name === sync.to.crm);
            if (target === undefined) continue;
            const destination = connectorFor(target.config.kind).createDestination(
              target.config,
              target.deps,
            );
            const fields = await checkSyncFields(sync, destination);
            // Without the models there is nothing to check the columns against: the models check says so.
            const columns =
              warehouse === null || sql === null || !(await readable(warehouse, sync.from))
                ? []
                : await checkColumns(warehouse, sql, sync);
            const problems = [...fields.problems, ...columns];
            checks.push({
              check: `sync ${sync.name}`,
              status: problems.length === 0 ? 'ok' : 'failed',
              detail:
                problems.length === 0
                  ? `${Object.keys(sync.fields).length} field(s) writable on ${destination.vendor} ${sync.to.object}\n${ownership(sync)}`
                  : problems.join('\n'),
            });
          }
        } finally {
          await warehouse?.close();
          await opened.close();
        }
        return report(ctx, checks);
      }),
    );
}

/** Every model's relation exists; which do not, when some do not. */
async function modelsCheck(config: PipelineConfig, warehouse: Warehouse): Promise<Check> {
  const models = [...modelInputs(config).project.models.values()];
  const missing: string[] = [];
  for (const model of models) {
    if (!(await relationExists(warehouse, model.schema, model.name)))
      missing.push(`${model.schema}.${model.name}`);
  }
  if (missing.length === 0) return { check: 'models', status: 'ok', detail: `${models.length} models built` };
  if (missing.length === models.length) {
    return { check: 'models', status: 'warn', detail: `models not built yet, ${MODELS_HINT}` };
  }
  const shown = missing.slice(0, 5).join(', ');
  return {
    check: 'models',
    status: 'warn',
    detail: `${missing.length} of ${models.length} models not built yet (${shown}${missing.length > 5 ? ', …' : ''}), ${MODELS_HINT}`,
  };
}

/** A sync reading a model that is not built is the models check's to report, not a column problem. */
async function readable(
  warehouse: Warehouse,
  from: PipelineConfig['syncs'][number]['from'],
): Promise<boolean> {
  if (from.kind !== 'model') return true;
  const [schema, name] = from.model.includes('.') ? from.model.split('.') : ['analytics', from.model];
  return relationExists(warehouse, schema ?? 'analytics', name ?? from.model);
}

async function relationExists(warehouse: Warehouse, schema: string, name: string): Promise<boolean> {
  try {
    for await (const _ of warehouse.query(
      `SELECT * FROM ${warehouse.dialect.relation({ schema, name })} LIMIT 0`,
    )) {
      // LIMIT 0: running it is the check.
    }
    return true;
  } catch {
    return false;
  }
}

/** The sync's mode and who wins when a person changed a field Tide pushed (README, "Field ownership"). */
function ownership(sync: SyncConfig): string {
  if (sync.mode === 'fill-empty') return 'mode fill-empty: only empty CRM fields are written, never a value';
  return `mode ${sync.mode}; on conflict: ${describeConflictRules(sync)}`;
}

function report(ctx: CliContext, checks: readonly Check[]): number {
  const failed = checks.filter((c) => c.status === 'failed').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  ctx.invocation.count({ checks: checks.length, failed, warnings: warned });
  if (ctx.options.json) {
    for (const c of checks) {
      const line = { check: c.check, status: c.status, detail: c.detail };
      if (c.status === 'failed') ctx.log.error('check', line);
      else if (c.status === 'warn') ctx.log.warn('check', line);
      else ctx.log.info('check', line);
    }
  } else {
    ctx.print(
      formatTable(
        ['check', 'status', 'detail'],
        checks.flatMap((c) =>
          c.detail
            .split('\n')
            .map((line, i) =>
              i === 0
                ? [c.check, c.status === 'failed' ? 'FAILED' : c.status === 'warn' ? 'WARN' : 'ok', line]
                : ['', '', line],
            ),
        ),
      ),
    );
  }
  return failed === 0 ? ExitCode.ok : ExitCode.failure;
}

function describe(error: unknown): string {
  if (isTideError(error)) return `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
