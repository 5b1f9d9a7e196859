import { randomUUID } from 'node:crypto';
import { TideError } from '../../core/tide-error.js';

/** One request inside a `$batch`. */
export interface BatchPartRequest {
  readonly method: 'PATCH' | 'POST' | 'DELETE';
  /** Absolute path (`/api/data/v9.2/contacts(…)`), query included. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly json: unknown;
}

/** One part of a `$batch` response. */
export interface BatchPartResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

/**
 * A `$batch` body (MicrosoftDocs webapi/execute-batch-operations-using-web-api.md): one
 * `application/http` part per request, no change sets, so with `Prefer: odata.continue-on-error`
 * every request succeeds or fails on its own.
 */
export function encodeBatch(requests: readonly BatchPartRequest[]): { contentType: string; text: string } {
  const boundary = `batch_${randomUUID()}`;
  const lines: string[] = [];
  for (const r of requests) {
    lines.push(`--${boundary}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '');
    lines.push(`${r.method} ${r.path} HTTP/1.1`, 'Content-Type: application/json; type=entry');
    for (const [name, value] of Object.entries(r.headers)) lines.push(`${name}: ${value}`);
    lines.push('', JSON.stringify(r.json));
  }
  lines.push(`--${boundary}--`, '');
  return { contentType: `multipart/mixed; boundary="${boundary}"`, text: lines.join('\r\n') };
}

/**
 * The parts of a `$batch` response in order (`--batchresponse_…`; a change set's parts are flattened
 * in their order). Each part's status line, headers and body.
 */
export function decodeBatch(contentType: string | null, text: string): BatchPartResponse[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const name = boundary?.[1] ?? boundary?.[2] ?? /^--(\S+)/.exec(text.trimStart())?.[1];
  if (name === undefined) {
    throw new TideError('malformed_response', 'Dynamics 365 answered a $batch without a multipart boundary');
  }
  const out: BatchPartResponse[] = [];
  for (const part of splitParts(text, name)) {
    const inner = /Content-Type:\s*multipart\/mixed;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(part);
    if (inner !== null) {
      for (const p of splitParts(part, inner[1] ?? inner[2] ?? '')) out.push(decodePart(p));
    } else out.push(decodePart(part));
  }
  return out;
}

function splitParts(text: string, boundary: string): string[] {
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    const end = trimmed === `--${boundary}--`;
    if (end || trimmed === `--${boundary}`) {
      if (current !== null) parts.push(current.join('\n'));
      if (end) break;
      current = [];
      continue;
    }
    current?.push(line);
  }
  return parts;
}

function decodePart(part: string): BatchPartResponse {
  const status = /^HTTP\/1\.1\s+(\d{3})/m.exec(part);
  if (status === null)
    throw new TideError(
      'malformed_response',
      'Dynamics 365 answered a $batch part without an HTTP status line',
    );
  const after = part.slice(status.index + status[0].length).split('\n');
  const headers = new Map<string, string>();
  let i = 1;
  for (; i < after.length && after[i]!.trim() !== ''; i++) {
    const line = after[i]!;
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return {
    status: Number(status[1]),
    headers,
    body: after
      .slice(i + 1)
      .join('\n')
      .trim(),
  };
}
