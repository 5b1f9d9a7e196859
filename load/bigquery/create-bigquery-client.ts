import { readFileSync } from 'node:fs';
import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';
import { z } from 'zod';
import { TideError } from '../../core/tide-error.js';
import type { BigqueryWarehouseConfig } from './bigquery-config.js';

/** The fields of a service-account key file Tide checks before handing the path to the SDK. */
const ServiceAccountKey = z.object({
  type: z.literal('service_account'),
  client_email: z.string().min(1),
  private_key: z.string().min(1),
});

/**
 * The real client. Credentials: the service-account key file whose path is in the environment
 * variable named by `keyFileEnv`, else Application Default Credentials. The client gets no
 * `location`: the SDK would copy it into every load job's configuration, where the REST API has no
 * such field; query jobs carry the location themselves and load jobs run where their table is.
 * The SDK's own retries are off because BigqueryDriver retries whole jobs with its own backoff.
 */
export function createBigqueryClient(
  config: BigqueryWarehouseConfig,
  env: NodeJS.ProcessEnv = process.env,
): BigQuery {
  const options: BigQueryOptions = {
    projectId: config.projectId,
    retryOptions: { autoRetry: false, maxRetries: 0 },
  };
  if (config.keyFileEnv !== undefined) options.keyFilename = keyFile(config.keyFileEnv, env);
  return new BigQuery(options);
}

function keyFile(variable: string, env: NodeJS.ProcessEnv): string {
  const path = env[variable];
  const hint = `set ${variable} to the path of a service-account JSON key file, or remove keyFileEnv to use Application Default Credentials`;
  if (path === undefined || path.trim() === '') {
    throw new TideError('credentials_missing', `${variable} is not set`, { hint });
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new TideError('credentials_missing', `${variable} names ${path}, which cannot be read`, { hint });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Never echo the file: it holds a private key.
    throw new TideError('credentials_rejected', `${path} (from ${variable}) is not a JSON key file`, {
      hint,
    });
  }
  if (!ServiceAccountKey.safeParse(json).success) {
    throw new TideError(
      'credentials_rejected',
      `${path} (from ${variable}) is not a service-account key: it needs "type": "service_account", client_email and private_key`,
      { hint },
    );
  }
  return path;
}
