import type { ServerResponse } from 'node:http';
import { type AnswerField, encodeRow } from './bigquery-wire.js';
import { replyFault } from './double-faults.js';
import { googleError, reply } from './double-http.js';
import type { JobContext } from './double-jobs.js';

/**
 * getQueryResults: not complete while the job still polls RUNNING, then the test's answer paged by
 * `maxResults` (capped by `maxPageRows`) and encoded as BigQuery encodes rows.
 */
export function queryResults(
  ctx: JobContext,
  res: ServerResponse,
  id: string,
  query: Record<string, string>,
) {
  const job = ctx.jobs.find(res, id, query);
  if (job === undefined) return;
  const fault = ctx.faults.take('results', job.label);
  if (fault?.http !== undefined) {
    return replyFault(res, fault.http);
  }
  const reference = { projectId: ctx.options.projectId, jobId: job.id, location: job.location };
  if (job.pollsLeft > 0)
    return reply(res, 200, {
      kind: 'bigquery#getQueryResultsResponse',
      jobReference: reference,
      jobComplete: false,
    });
  if (job.error !== null) return reply(res, 400, googleError(400, job.error.reason, job.error.message));
  const fields: readonly AnswerField[] = job.answer.fields ?? [];
  const all = job.answer.rows ?? [];
  const start =
    query.pageToken === undefined
      ? Number(query.startIndex ?? 0)
      : Number(query.pageToken.replace('page-', ''));
  const size = Math.min(Number(query.maxResults ?? 100_000), ctx.options.maxPageRows ?? 100_000);
  const page = all.slice(start, start + size);
  const int64 = query['formatOptions.useInt64Timestamp'] === 'true';
  reply(res, 200, {
    kind: 'bigquery#getQueryResultsResponse',
    etag: `"${job.id}-${start}"`,
    jobReference: reference,
    jobComplete: true,
    cacheHit: false,
    totalBytesProcessed: '0',
    ...(job.answer.fields === undefined
      ? { numDmlAffectedRows: String(job.answer.dmlAffectedRows ?? 0) }
      : {
          schema: {
            fields: fields.map((f) => ({ name: f.name, type: f.type, mode: f.mode ?? 'NULLABLE' })),
          },
          totalRows: String(all.length),
          ...(page.length === 0 ? {} : { rows: page.map((row) => encodeRow(fields, row, int64)) }),
          ...(start + size < all.length ? { pageToken: `page-${start + size}` } : {}),
        }),
  });
}
