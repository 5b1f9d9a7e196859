import type { SimResponse } from '../kit/sim-types.js';

/** Salesforce's error body: a JSON array of `{message, errorCode, fields?}`. */
export function sfError(
  status: number,
  errorCode: string,
  message: string,
  fields?: readonly string[],
): SimResponse {
  return { status, json: [{ message, errorCode, ...(fields ? { fields } : {}) }] };
}
