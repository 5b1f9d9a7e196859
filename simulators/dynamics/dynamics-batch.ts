import { randomUUID } from 'node:crypto';
import type { SimResponse } from '../kit/sim-types.js';
import { badRequest } from './dynamics-errors.js';

/** One operation inside a `$batch`. */
export interface BatchOperation {
  readonly method: string;
  /** As written in the part: absolute URL, absolute path or relative to the service root. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly contentId: string | null;
}

/** A top-level part: one operation, or a change set whose operations succeed or fail together. */
export type BatchPart =
  | { readonly kind: 'operation'; readonly operation: BatchOperation }
  | { readonly kind: 'changeset'; readonly operations: readonly BatchOperation[] };

export const MAX_BATCH_OPERATIONS = 1000;
const HTTP_STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export function boundaryOf(contentType: string | undefined): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** Splits a multipart body on its boundary (CRLF or LF line ends, blank lines between parts allowed). */
function splitParts(body: string, boundary: string): string[] | null {
  const lines = body.split(/\r?\n/);
  const parts: string[] = [];
  let current: string[] | null = null;
  let closed = false;
  for (const line of lines) {
    if (line.trim() === `--${boundary}--`) {
      if (current !== null) parts.push(current.join('\n'));
      closed = true;
      break;
    }
    if (line.trim() === `--${boundary}`) {
      if (current !== null) parts.push(current.join('\n'));
      current = [];
      continue;
    }
    current?.push(line);
  }
  return closed ? parts : null;
}

/** Headers up to the first blank line, then the rest (leading blank lines skipped). */
function headersAndRest(text: string): { headers: Record<string, string>; rest: string } {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const headers: Record<string, string> = {};
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, rest: lines.slice(i + 1).join('\n') };
}

function parseOperation(text: string): BatchOperation | null {
  const { headers: partHeaders, rest } = headersAndRest(text);
  const lines = rest.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const m = /^([A-Z]+)\s+(\S+)\s+HTTP\/1\.1$/.exec((lines[i] ?? '').trim());
  if (m === null) return null;
  const { headers, rest: body } = headersAndRest(lines.slice(i + 1).join('\n'));
  return {
    method: m[1]!,
    url: m[2]!,
    headers,
    body: body.trim(),
    contentId: partHeaders['content-id'] ?? null,
  };
}

/** The parts of a `$batch` body, or the 400 Dataverse answers for a malformed or oversized one. */
export function parseBatch(contentType: string | undefined, body: string): BatchPart[] | SimResponse {
  const boundary = boundaryOf(contentType);
  if (boundary === null || !/^multipart\/mixed/i.test(contentType ?? '')) {
    return badRequest('The batch request must have a Content-Type of multipart/mixed with a boundary.');
  }
  const raw = splitParts(body, boundary);
  if (raw === null) return badRequest('The batch request body is not a complete multipart/mixed message.');
  const parts: BatchPart[] = [];
  let count = 0;
  for (const text of raw) {
    const { headers, rest } = headersAndRest(text);
    const inner = boundaryOf(headers['content-type']);
    if (inner !== null && /^multipart\/mixed/i.test(headers['content-type'] ?? '')) {
      const changeParts = splitParts(rest, inner);
      if (changeParts === null) return badRequest('A change set in the batch is not complete.');
      const operations: BatchOperation[] = [];
      for (const p of changeParts) {
        const op = parseOperation(p);
        if (op === null) return badRequest('A change set part is not an HTTP request.');
        if (op.method === 'GET') return badRequest('GET requests are not allowed inside a change set.');
        operations.push(op);
      }
      count += operations.length;
      parts.push({ kind: 'changeset', operations });
    } else {
      const op = parseOperation(text);
      if (op === null) return badRequest('A batch part is not an HTTP request.');
      count++;
      parts.push({ kind: 'operation', operation: op });
    }
  }
  if (count > MAX_BATCH_OPERATIONS) {
    return badRequest(
      `The batch contains ${count} requests; the maximum is ${MAX_BATCH_OPERATIONS}.`,
      '0x80060891',
    );
  }
  return parts;
}

/** One response part: `HTTP/1.1 <status>`, its headers, its JSON body. */
function responsePart(response: SimResponse, contentId: string | null): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId !== null) lines.push(`Content-ID: ${contentId}`);
  lines.push('', `HTTP/1.1 ${response.status} ${HTTP_STATUS_TEXT[response.status] ?? ''}`.trimEnd());
  const headers: Record<string, string> = { ...response.headers };
  if (response.json !== undefined) headers['Content-Type'] = 'application/json; odata.metadata=minimal';
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  lines.push('');
  if (response.json !== undefined) lines.push(JSON.stringify(response.json));
  else if (response.text !== undefined) lines.push(response.text);
  return lines.join('\r\n');
}

export type BatchResult =
  | { readonly kind: 'operation'; readonly response: SimResponse; readonly contentId: string | null }
  | {
      readonly kind: 'changeset';
      readonly responses: readonly { response: SimResponse; contentId: string | null }[];
    };

/** The multipart/mixed response, parts in request order (MicrosoftDocs execute-batch-operations-using-web-api.md). */
export function batchResponse(status: number, results: readonly BatchResult[]): SimResponse {
  const boundary = `batchresponse_${randomUUID()}`;
  const chunks: string[] = [];
  for (const result of results) {
    chunks.push(`--${boundary}`);
    if (result.kind === 'operation') {
      chunks.push(responsePart(result.response, result.contentId));
      continue;
    }
    const inner = `changesetresponse_${randomUUID()}`;
    chunks.push(`Content-Type: multipart/mixed; boundary=${inner}`, '');
    for (const r of result.responses) chunks.push(`--${inner}`, responsePart(r.response, r.contentId));
    chunks.push(`--${inner}--`);
  }
  chunks.push(`--${boundary}--`, '');
  return {
    status,
    headers: { 'OData-Version': '4.0', 'Content-Type': `multipart/mixed; boundary=${boundary}` },
    text: chunks.join('\r\n'),
  };
}
