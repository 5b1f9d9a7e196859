import { randomUUID } from 'node:crypto';
import type { SimResponse } from '../kit/sim-types.js';

/** HubSpot's error body: `{status:"error", message, correlationId, category, …}`. */
export function hubspotError(
  status: number,
  category: string,
  message: string,
  extra: Readonly<Record<string, unknown>> = {},
): SimResponse {
  return {
    status,
    json: { status: 'error', message, correlationId: randomUUID(), category, ...extra },
  };
}

export function validationError(message: string, extra: Readonly<Record<string, unknown>> = {}): SimResponse {
  return hubspotError(400, 'VALIDATION_ERROR', message, extra);
}

export function unauthorized(): SimResponse {
  return hubspotError(
    401,
    'INVALID_AUTHENTICATION',
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
  );
}

export type RatePolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

const RATE_MESSAGES: Record<RatePolicy, string> = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  // The official SDK recognises the search limit by this exact message.
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
};

/** HubSpot's 429 body; `policyName` tells which limit (the SDK retries on two of them). */
export function rateLimited(policy: RatePolicy, headers: Readonly<Record<string, string>> = {}): SimResponse {
  return {
    status: 429,
    headers,
    json: {
      status: 'error',
      message: RATE_MESSAGES[policy],
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      policyName: policy,
      requestId: randomUUID(),
    },
  };
}

/** INFERENCE: HubSpot sits behind Cloudflare, whose edge answers an over-long request line in HTML. */
export function uriTooLong(): SimResponse {
  return {
    status: 414,
    headers: { 'content-type': 'text/html' },
    text:
      '<html>\r\n<head><title>414 Request-URI Too Large</title></head>\r\n<body>\r\n' +
      '<center><h1>414 Request-URI Too Large</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n',
  };
}
