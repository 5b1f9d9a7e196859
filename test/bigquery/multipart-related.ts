/** One part of a multipart/related body. */
export interface MultipartPart {
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * Splits a multipart/related body (RFC 2387, what Google's upload endpoint takes with
 * `uploadType=multipart`) into its parts, byte-exactly: the media part may be gzip.
 */
export function parseMultipartRelated(contentType: string, body: Buffer): MultipartPart[] {
  const match = /boundary="?([^";]+)"?/i.exec(contentType);
  if (!/^multipart\/related/i.test(contentType) || match === null) {
    throw new Error(`expected multipart/related with a boundary, got ${JSON.stringify(contentType)}`);
  }
  const delimiter = Buffer.from(`--${match[1]}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new Error('multipart body has no boundary');
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', afterDelimiter);
    if (headerEnd < 0) throw new Error('multipart part without headers');
    const headers = body.subarray(afterDelimiter, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new Error('multipart part without a closing boundary');
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'text/plain';
    parts.push({ contentType: type, body: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
  return parts;
}
