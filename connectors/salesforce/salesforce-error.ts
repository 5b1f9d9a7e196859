import { TideError, type TideErrorCode } from '../../core/tide-error.js';
import { ErrorArraySchema } from './salesforce-schemas.js';

/** A Salesforce error response, keeping Salesforce's own `errorCode` (INVALID_FIELD, MALFORMED_QUERY …). */
export class SalesforceApiError extends TideError {
  readonly status: number;
  readonly errorCode: string;

  constructor(
    code: TideErrorCode,
    status: number,
    errorCode: string,
    message: string,
    options?: { hint?: string },
  ) {
    super(code, message, options);
    this.status = status;
    this.errorCode = errorCode;
  }
}

export interface SalesforceErrorBody {
  readonly errorCode: string;
  readonly message: string;
  readonly fields: readonly string[];
}

/** The first entry of Salesforce's error array; falls back to the raw text for non-JSON bodies. */
export function parseSalesforceError(status: number, bodyText: string): SalesforceErrorBody {
  let json: unknown = null;
  try {
    json = JSON.parse(bodyText);
  } catch {
    // An HTML error page from a proxy or a maintenance window.
  }
  const parsed = ErrorArraySchema.safeParse(json);
  const first = parsed.success ? parsed.data[0] : undefined;
  if (first) return { errorCode: first.errorCode, message: first.message ?? '', fields: first.fields ?? [] };
  return { errorCode: `HTTP_${status}`, message: bodyText.slice(0, 200).trim(), fields: [] };
}
