import type { SimResponse } from '../kit/sim-types.js';

/**
 * Zoho's request-level error envelope: `{code, details, message, status: "error"}` at top level
 * (PROTOCOL-FACTS-ZOHO… §1 "Error envelope"); per-record errors live inside `data[]` instead.
 */
export function zohoError(
  status: number,
  code: string,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
  headers?: Readonly<Record<string, string>>,
): SimResponse {
  return { status, json: { code, details, message, status: 'error' }, ...(headers ? { headers } : {}) };
}

export const invalidToken = (): SimResponse => zohoError(401, 'INVALID_TOKEN', 'invalid oauth token');

export const authenticationFailure = (): SimResponse =>
  zohoError(401, 'AUTHENTICATION_FAILURE', 'Authentication failed');

export const scopeMismatch = (): SimResponse =>
  zohoError(401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL');

export const invalidModule = (module: string): SimResponse =>
  zohoError(400, 'INVALID_MODULE', 'the module name given seems to be invalid', { module });

export const requiredParam = (param: string): SimResponse =>
  zohoError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: param });

export const invalidParam = (param: string, message = 'invalid data'): SimResponse =>
  zohoError(400, 'INVALID_DATA', message, { param_name: param });

export const notFound = (what: string): SimResponse =>
  zohoError(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one', {
    what,
  });
