import type { SimResponse } from '../kit/sim-types.js';

/**
 * ActiveCampaign's error answers. 422 carries `{errors:[{title, detail, code, source:{pointer}}]}`
 * (reference, `POST /contacts` duplicate); 404 `{message}` (`PUT /contacts/{id}`). The 403 and 402
 * bodies are not in the reference: these are INFERENCE, only their statuses are documented.
 */
export function messageError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): SimResponse {
  return { status, headers, json: { message } };
}

export interface FieldProblem {
  readonly title: string;
  readonly code: string;
  /** JSON pointer into the request (`/data/attributes/email`). */
  readonly pointer: string;
  readonly detail?: string;
}

export function unprocessable(problems: readonly FieldProblem[]): SimResponse {
  return {
    status: 422,
    json: {
      errors: problems.map((p) => ({
        title: p.title,
        detail: p.detail ?? '',
        code: p.code,
        source: { pointer: p.pointer },
      })),
    },
  };
}

export function forbidden(): SimResponse {
  return messageError(403, 'You are not authorized to access this resource. Check your API token.');
}

export function paymentRequired(): SimResponse {
  return messageError(402, 'This account has a payment issue: update the billing details to use the API.');
}

export function noSuchContact(id: string): SimResponse {
  return messageError(404, `No Result found for Subscriber with id ${id}`);
}

export function notFound(what: string): SimResponse {
  return messageError(404, `No Result found for ${what}`);
}

export function badRequest(message: string): SimResponse {
  return messageError(400, message);
}

/** A body that is not JSON or lacks the resource key (`{"contact":{...}}`). */
export function badBody(resource: string): SimResponse {
  return unprocessable([
    { title: `The request body must be JSON with a "${resource}" object`, code: 'invalid', pointer: '/data' },
  ]);
}

/** Parses a JSON request body; undefined when it is not JSON. */
export function jsonBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Email check the simulator applies to writes (what the API refuses with email_invalid). */
export const EMAIL_PATTERN = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/;
