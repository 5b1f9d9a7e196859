import { TideError } from '../../core/tide-error.js';
import { numberHeader, type VendorPolicy } from '../../http/vendor-policy.js';

/**
 * The download of an export's file. Its URL is signed ("can be accessed without any additional
 * authorization") and may point at a file store on another host, so no token is ever sent there; the
 * store's answers are not HubSpot's JSON. An expired URL (HubSpot: 5 minutes) is an error the caller
 * handles by falling back to the list API.
 */
export const hubspotFilePolicy: VendorPolicy = {
  vendor: 'HubSpot export file',
  async authorize() {
    // Deliberately nothing: the URL carries its own signature.
  },
  rateSignal() {
    return {};
  },
  judge(status, headers, bodyText, request) {
    if (status >= 500 || status === 408) return { kind: 'retry', afterMs: null, reason: `HTTP ${status}` };
    if (status === 429) {
      return {
        kind: 'wait',
        afterMs: (numberHeader(headers, 'retry-after') ?? 1) * 1000,
        reason: 'HTTP 429',
      };
    }
    return {
      kind: 'fail',
      error: new TideError(
        'http_error',
        `HubSpot's export file refused the download (${status} on ${request.path.replace(/\/[^/]+$/, '/…')}): ${bodyText.slice(0, 200)}`,
      ),
    };
  },
};
