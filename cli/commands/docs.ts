import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { ExitCode, TideError } from '../../core/tide-error.js';
import { readWarehouseColumns } from '../../load/kysely/warehouse-columns.js';
import { modelSchemas } from '../../transform/compile/compile-env.js';
import { collectDocs } from '../../transform/docs/collect-docs.js';
import { buildLineage } from '../../transform/docs/lineage.js';
import { renderSite } from '../../transform/docs/render-site.js';
import { readRunLog } from '../../transform/run/run-log.js';
import { commandAction } from '../command-action.js';
import { openPipelineSession } from '../pipeline-session.js';
import { modelInputs } from '../stages/models-stage.js';

const DocsOptions = z.object({ out: z.string().min(1).default('tide-docs') });

/**
 * `tide docs [--out DIR]`: a static site about the models (open DIR/index.html from disk): each
 * model's SQL, columns with types and descriptions, data tests with their last results,
 * materialization, rows and build time of its last build, and the lineage from the CRMs' raw
 * tables through every model to the reverse syncs. Reads only: DuckDB is opened read-only.
 */
export function registerDocs(program: Command): void {
  program
    .command('docs')
    .description('write a static documentation site of the models, with lineage (open <out>/index.html)')
    .option('-o, --out <dir>', 'the folder to write', 'tide-docs')
    .action(
      commandAction(async (ctx, raw: unknown) => {
        const parsed = DocsOptions.safeParse(raw);
        if (!parsed.success) throw new TideError('config_invalid', 'tide docs: --out <dir>');
        const config = await ctx.config();
        const { project, sources } = modelInputs(config);
        const session = await openPipelineSession(config, ctx.log, { sources: false, readOnly: true });
        try {
          const warehouse = session.warehouse;
          const columns = await readWarehouseColumns(warehouse, modelSchemas(project));
          const models = collectDocs(project, warehouse.dialect.name, columns, await readRunLog(warehouse));
          const lineage = buildLineage(
            project,
            warehouse.dialect.name,
            sources,
            config.syncs.map((s) => ({ name: s.name, target: `${s.to.crm} ${s.to.object}`, from: s.from })),
          );
          const dir = resolve(parsed.data.out);
          const files = await renderSite(dir, models, lineage, new Date());
          ctx.result(
            `wrote ${files.length} files to ${parsed.data.out}: open ${parsed.data.out}/index.html`,
            {
              files: files.length,
              index: `${parsed.data.out}/index.html`,
            },
          );
          return ExitCode.ok;
        } finally {
          await session.close();
        }
      }),
    );
}
