export type RequestKind = 'insert' | 'upload' | 'status' | 'results' | 'table' | 'other';

export interface RecordedRequest {
  readonly kind: RequestKind;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly jobId?: string;
}

/** Which endpoint a request is for, with the ids its path names. */
export interface Route {
  readonly kind: RequestKind;
  readonly jobId?: string;
  readonly dataset?: string;
  readonly table?: string;
}

/** Query parameters each endpoint accepts; Google APIs reject any other ("Cannot bind query parameter"). */
const STANDARD = ['prettyPrint', 'alt', 'fields', 'quotaUser', 'key'];
export const ALLOWED_QUERY: Readonly<Record<RequestKind, readonly string[]>> = {
  insert: STANDARD,
  upload: [...STANDARD, 'uploadType'],
  status: [...STANDARD, 'location'],
  results: [
    ...STANDARD,
    'location',
    'maxResults',
    'pageToken',
    'startIndex',
    'timeoutMs',
    'formatOptions.useInt64Timestamp',
    'formatOptions.timestampOutputFormat',
  ],
  table: [...STANDARD, 'selectedFields', 'view'],
  other: STANDARD,
};

export function routeOf(method: string, path: string, projectId: string): Route {
  const base = `/bigquery/v2/projects/${projectId}`;
  const table = new RegExp(`^${base}/datasets/([^/]+)/tables/([^/]+)$`).exec(path);
  if (method === 'GET' && table !== null) {
    return { kind: 'table', dataset: decodeURIComponent(table[1]!), table: decodeURIComponent(table[2]!) };
  }
  if (method === 'POST' && path === `${base}/jobs`) return { kind: 'insert' };
  if (method === 'POST' && path === `/upload/bigquery/v2/projects/${projectId}/jobs`)
    return { kind: 'upload' };
  const job = new RegExp(`^${base}/(jobs|queries)/([^/]+)$`).exec(path);
  if (method === 'GET' && job !== null) {
    return { kind: job[1] === 'jobs' ? 'status' : 'results', jobId: decodeURIComponent(job[2]!) };
  }
  return { kind: 'other' };
}
