import type { z } from 'zod';
import { type LoadConfig, LoadJobInsert } from './bigquery-rest-shapes.js';
import { googleError, invalid } from './double-http.js';
import { parseMultipartRelated } from './multipart-related.js';
import { checkNdjson } from './ndjson-check.js';

type Upload =
  | { readonly metadata: z.output<typeof LoadJobInsert>; readonly media: Buffer }
  | { readonly status: number; readonly body: unknown };

/** A jobs.insert media upload: the multipart body, its job metadata checked against the REST shape. */
export function readUpload(
  contentType: string,
  query: Readonly<Record<string, string>>,
  body: Buffer,
): Upload {
  if (query.uploadType !== 'multipart') {
    return {
      status: 400,
      body: googleError(400, 'invalid', `the double serves uploadType=multipart, got ${query.uploadType}`),
    };
  }
  try {
    const [meta, data] = parseMultipartRelated(contentType, body);
    if (meta === undefined || data === undefined)
      throw new Error('expected a metadata part and a media part');
    const parsed = LoadJobInsert.safeParse(JSON.parse(meta.body.toString('utf8')));
    if (!parsed.success) return { status: 400, body: invalid(parsed.error) };
    return { metadata: parsed.data, media: data.body };
  } catch (e) {
    return { status: 400, body: googleError(400, 'invalid', `malformed multipart upload: ${String(e)}`) };
  }
}

/** The uploaded file read as BigQuery would read it, or the load job's error. */
export function checkLoadFile(
  load: LoadConfig,
  file: Buffer,
): { rows: Record<string, unknown>[]; error: { reason: string; message: string } | null } {
  if (load.sourceFormat !== 'NEWLINE_DELIMITED_JSON' || load.schema === undefined) {
    return {
      rows: [],
      error: {
        reason: 'invalid',
        message: 'the double checks NEWLINE_DELIMITED_JSON loads with an explicit schema',
      },
    };
  }
  const checked = checkNdjson(file.toString('utf8'), load.schema.fields, load.ignoreUnknownValues === true);
  if (checked.errors.length <= (load.maxBadRecords ?? 0)) return { rows: checked.rows, error: null };
  return {
    rows: checked.rows,
    error: {
      reason: 'invalid',
      message: `Error while reading data, error message: JSON table encountered too many errors, giving up. Rows: ${checked.rows.length}; errors: ${checked.errors.length}. First: ${checked.errors[0]}`,
    },
  };
}
