import type { Command } from 'commander';
import { humanAge } from '../../core/human-age.js';
import { commandAction } from '../command-action.js';
import { openPipelineSession } from '../pipeline-session.js';
import { formatTable } from '../stages/extract-stage.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description(
      'per stream: cursor, last completed load, row count, freshness and when deletes were last checked',
    )
    .action(
      commandAction(async (ctx) => {
        const config = await ctx.config();
        const session = await openPipelineSession(config, ctx.log, {
          sources: false,
          readOnly: true,
          runId: ctx.runId,
          waitSeconds: ctx.options.wait,
        });
        try {
          const rows = await session.warehouse.streamStatus();
          const now = Date.now();
          const ageOf = (at: string | null): number | null =>
            at === null ? null : Math.round((now - Date.parse(at)) / 1000);
          const withFreshness = rows.map((r) => ({
            ...r,
            loadAgeSeconds: ageOf(r.lastCompletedAt),
            dataAgeSeconds: ageOf(r.newestRecordAt),
            deletesCheckAgeSeconds: ageOf(r.deletesCheckedAt),
          }));
          ctx.invocation.count({ streams: rows.length });
          if (ctx.options.json) {
            for (const r of withFreshness) ctx.log.info('stream', { ...r });
            return 0;
          }
          if (rows.length === 0) {
            ctx.print('no loads yet: run `tide extract` (or `npm start`) first');
            return 0;
          }
          ctx.print(
            formatTable(
              [
                'stream',
                'rows',
                'deleted',
                'cursor',
                'last load',
                'load age',
                'newest record',
                'deletes checked',
                'deletes age',
              ],
              withFreshness.map((r) => [
                `${r.source}.${r.stream}`,
                String(r.rowCount),
                String(r.deletedCount),
                r.cursor?.value ?? '-',
                r.lastCompletedAt ?? '-',
                r.loadAgeSeconds === null ? '-' : humanAge(r.loadAgeSeconds),
                r.newestRecordAt ?? '-',
                // '-': no completed load recorded a delete check (never, or a cadence not reached yet).
                r.deletesCheckedAt ?? '-',
                r.deletesCheckAgeSeconds === null ? '-' : humanAge(r.deletesCheckAgeSeconds),
              ]),
            ),
          );
          return 0;
        } finally {
          await session.close();
        }
      }),
    );
}
