import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

/** HTTP plumbing of the BigQuery double: bodies in, Google-style JSON (and errors) out. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

/** Google's error envelope; `item` is the message of `errors[0]` when it differs from the top one. */
export function googleError(code: number, reason: string, message: string, item = message): unknown {
  const status = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    409: 'ALREADY_EXISTS',
    429: 'RESOURCE_EXHAUSTED',
  }[code];
  return {
    error: {
      code,
      message,
      errors: [{ message: item, domain: 'global', reason }],
      ...(status === undefined ? {} : { status }),
    },
  };
}

export function invalid(error: z.ZodError): unknown {
  const first = error.issues[0];
  return googleError(400, 'invalid', `Invalid request: ${first?.path.join('.')}: ${first?.message}`);
}

export function duplicate(
  options: { readonly projectId: string; readonly location: string },
  jobId: string,
): unknown {
  return googleError(
    409,
    'duplicate',
    `Already Exists: Job ${options.projectId}:${options.location}.${jobId}`,
  );
}

/** BigQuery's two 401 answers: no credentials sent at all, or credentials it does not accept. */
export function authFailure(missing: boolean): unknown {
  const expected =
    'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
  return missing
    ? googleError(
        401,
        'required',
        `Request is missing required authentication credential. ${expected}`,
        'Login Required.',
      )
    : googleError(
        401,
        'authError',
        `Request had invalid authentication credentials. ${expected}`,
        'Invalid Credentials',
      );
}
