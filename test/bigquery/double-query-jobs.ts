import type { ServerResponse } from 'node:http';
import { QueryJobInsert } from './bigquery-rest-shapes.js';
import type { QueryAnswer } from './bigquery-wire.js';
import { replyFault } from './double-faults.js';
import type { DoubleQueryJob } from './double-hooks.js';
import { duplicate, invalid, reply } from './double-http.js';
import type { JobContext } from './double-jobs.js';
import { checkSql, decodeParams } from './double-sql-check.js';

/**
 * jobs.insert of a query job: the request's shape, its SQL (parsed as GoogleSQL) and parameters are
 * checked, then the test's `answer` hook decides the result the job will finish with.
 */
export async function insertQueryJob(ctx: JobContext, res: ServerResponse, body: unknown): Promise<void> {
  const parsed = QueryJobInsert.safeParse(body);
  if (!parsed.success) return reply(res, 400, invalid(parsed.error));
  const { jobReference, configuration } = parsed.data;
  const label = configuration.labels?.tide;
  if (ctx.jobs.has(jobReference.jobId)) return reply(res, 409, duplicate(ctx.options, jobReference.jobId));
  const fault = ctx.faults.take('insert', label);
  if (fault?.http !== undefined && fault.http.createJob !== true) {
    return replyFault(res, fault.http);
  }
  const location = jobReference.location ?? ctx.options.location;
  const view: DoubleQueryJob = {
    jobId: jobReference.jobId,
    sql: configuration.query.query,
    params: decodeParams(configuration.query.queryParameters, configuration.query.parameterMode),
    labels: configuration.labels ?? {},
    location,
  };
  ctx.recordQueryJob(view);
  let error = checkSql(
    view.sql,
    configuration.query.queryParameters ?? [],
    configuration.query.parameterMode,
  );
  if (error === null && location !== ctx.options.location) {
    error = {
      reason: 'notFound',
      message: `Not found: Dataset ${ctx.options.projectId}:raw was not found in location ${location}`,
    };
  }
  let answer: QueryAnswer = {};
  if (error === null) {
    try {
      answer = (await ctx.hooks().answer?.(view)) ?? {};
    } catch (e) {
      error = { reason: 'invalidQuery', message: e instanceof Error ? e.message : String(e) };
    }
  }
  error ??= fault?.jobError ?? null;
  const job = ctx.jobs.create(
    jobReference.jobId,
    location,
    { configuration: { ...configuration, jobType: 'QUERY' } },
    label,
    answer,
    error,
  );
  if (fault?.http !== undefined) {
    return replyFault(res, fault.http);
  }
  reply(res, 200, ctx.jobs.resource(job));
}
