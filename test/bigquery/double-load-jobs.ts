import type { ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { replyFault } from './double-faults.js';
import type { DoubleLoadJob } from './double-hooks.js';
import { duplicate, reply } from './double-http.js';
import type { JobContext } from './double-jobs.js';
import { checkLoadFile, readUpload } from './double-upload.js';

/**
 * The multipart upload of a load job: the metadata and the NDJSON file (gzip or not) are checked,
 * counted, and handed to the test's `onLoad` hook, whose throw fails the job.
 */
export async function uploadLoadJob(
  ctx: JobContext,
  res: ServerResponse,
  contentType: string,
  query: Record<string, string>,
  body: Buffer,
): Promise<void> {
  const upload = readUpload(contentType, query, body);
  if ('status' in upload) return reply(res, upload.status, upload.body);
  const { metadata, media } = upload;
  const { jobReference, configuration } = metadata;
  if (ctx.jobs.has(jobReference.jobId)) return reply(res, 409, duplicate(ctx.options, jobReference.jobId));
  const fault = ctx.faults.take('upload', undefined);
  if (fault?.http !== undefined && fault.http.createJob !== true) {
    return replyFault(res, fault.http);
  }
  const gzip = media[0] === 0x1f && media[1] === 0x8b;
  const load = configuration.load;
  const file = gzip ? gunzipSync(media) : media;
  const checked = checkLoadFile(load, file);
  const rows = checked.rows;
  let error = checked.error;
  const view: DoubleLoadJob = { jobId: jobReference.jobId, config: load, rows, gzip, bytes: media.length };
  ctx.recordLoadJob(view, file.length);
  if (error === null) {
    try {
      await ctx.hooks().onLoad?.(view);
    } catch (e) {
      error = { reason: 'invalid', message: e instanceof Error ? e.message : String(e) };
    }
  }
  error ??= fault?.jobError ?? null;
  // No jobReference.location in the request: BigQuery runs the load where the table's dataset is.
  const location = jobReference.location ?? ctx.options.location;
  const job = ctx.jobs.create(
    jobReference.jobId,
    location,
    { configuration: { ...configuration, jobType: 'LOAD' } },
    undefined,
    {},
    error,
  );
  const { statistics } = job.resource;
  job.resource.statistics = {
    ...(typeof statistics === 'object' && statistics !== null ? statistics : {}),
    load: { outputRows: String(rows.length), inputFiles: '1', inputFileBytes: String(media.length) },
  };
  if (fault?.http !== undefined) {
    return replyFault(res, fault.http);
  }
  reply(res, 200, ctx.jobs.resource(job));
}
