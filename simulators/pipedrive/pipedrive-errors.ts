import type { SimResponse } from '../kit/sim-types.js';

const INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';

/** Pipedrive's error envelope: `{success:false, error, error_info, data:null, additional_data:null}`. */
export function pipedriveError(
  status: number,
  error: string,
  extra: Readonly<Record<string, unknown>> = {},
  headers: Readonly<Record<string, string>> = {},
): SimResponse {
  return {
    status,
    headers,
    json: { success: false, error, error_info: INFO, data: null, additional_data: null, ...extra },
  };
}

export function unauthorized(): SimResponse {
  return pipedriveError(401, 'unauthorized access', { errorCode: 401 });
}

export function notFound(what: string): SimResponse {
  return pipedriveError(404, `${what} not found`);
}

export function badRequest(message: string): SimResponse {
  return pipedriveError(400, `Validation failed: ${message}`, { code: 'ERR_SCHEMA_VALIDATION_FAILED' });
}
