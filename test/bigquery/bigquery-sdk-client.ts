import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';

// No metadata server exists here: google-auth-library must not go looking for one.
process.env.METADATA_SERVER_DETECTION = 'none';

export const PROJECT = 'tide-test-project';
export const TOKEN = 'double-token';

/**
 * The real SDK, pointed at the double, with a static OAuth2 token (as SDK-CONTRACTS.md describes).
 * Its own module, free of Tide's warehouse code, so a test can mock how Tide builds its client and
 * hand it this one instead.
 */
export function sdkClient(double: { readonly baseUrl: string }, token = TOKEN): BigQuery {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return new BigQuery({
    projectId: PROJECT,
    apiEndpoint: double.baseUrl,
    authClient,
    retryOptions: { autoRetry: false, maxRetries: 0 },
  });
}
