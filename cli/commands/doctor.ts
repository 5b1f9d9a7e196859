import type { Command } from 'commander';
import { connectorFor } from '../../connectors/registry.js';
import { ExitCode, isTideError } from '../../core/tide-error.js';
import { checkColumns } from '../../reverse/column-check.js';
import { PushSql } from '../../reverse/push-sql.js';
import { checkSyncFields } from '../../reverse/run-sync.js';
import type { CliContext } from '../cli-context.js';
import { commandAction } from '../command-action.js';
import { openPipelineSession } from '../pipeline-session.js';
import { formatTable } from '../stages/extract-stage.js';

interface Check {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * `tide doctor`: everything that can be checked without moving data. The config parses; each source's
 * credentials work; the warehouse opens; each sync's source has its columns and every mapped CRM
 * field exists and is writable (HubSpot properties, Salesforce describe, Pipedrive *Fields).
 */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check config, credentials, warehouse and every sync mapping without writing anything')
    .action(
      commandAction(async (ctx) => {
        const config = await ctx.config();
        const checks: Check[] = [{ check: 'config', ok: true, detail: ctx.options.config }];
        let session: Awaited<ReturnType<typeof openPipelineSession>>;
        try {
          session = await openPipelineSession(config, ctx.log);
        } catch (error) {
          checks.push({ check: 'sources + warehouse', ok: false, detail: describe(error) });
          return report(ctx, checks);
        }
        try {
          checks.push({ check: 'warehouse', ok: true, detail: session.warehouse.dialect.name });
          for (const { config: source, source: s } of session.sources) {
            try {
              await s.check();
              checks.push({
                check: `source ${source.name}`,
                ok: true,
                detail: `${source.kind}: credentials work`,
              });
            } catch (error) {
              checks.push({ check: `source ${source.name}`, ok: false, detail: describe(error) });
            }
          }
          const sql = new PushSql(session.warehouse.dialect);
          for (const sync of config.syncs) {
            const target = session.sources.find((s) => s.config.name === sync.to.crm);
            if (target === undefined) continue;
            const destination = connectorFor(target.config.kind).createDestination(
              target.config,
              target.deps,
            );
            const fields = await checkSyncFields(sync, destination);
            const columns = await checkColumns(session.warehouse, sql, sync);
            const problems = [...fields.problems, ...columns];
            checks.push({
              check: `sync ${sync.name}`,
              ok: problems.length === 0,
              detail:
                problems.length === 0
                  ? `${Object.keys(sync.fields).length} field(s) writable on ${destination.vendor} ${sync.to.object}`
                  : problems.join('\n'),
            });
          }
        } finally {
          await session.close();
        }
        return report(ctx, checks);
      }),
    );
}

function report(ctx: CliContext, checks: readonly Check[]): number {
  if (ctx.options.json) ctx.print(JSON.stringify(checks));
  else {
    ctx.print(
      formatTable(
        ['check', 'status', 'detail'],
        checks.flatMap((c) =>
          c.detail
            .split('\n')
            .map((line, i) => (i === 0 ? [c.check, c.ok ? 'ok' : 'FAILED', line] : ['', '', line])),
        ),
      ),
    );
  }
  return checks.every((c) => c.ok) ? ExitCode.ok : ExitCode.failure;
}

function describe(error: unknown): string {
  if (isTideError(error)) return `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
