import { Client } from '@hubspot/api-client';
import { report } from './bench-kit.js';

/**
 * The SDK loader's reading half alone: the official SDK's getAll() with every property of the portal,
 * no DuckDB. Beside sdk-loader.ts it splits that loader's cost into reading and appending.
 * Child process: argv[2] = {"baseUrl","token"}.
 */
const args = JSON.parse(process.argv[2]!) as { baseUrl: string; token: string };
const started = performance.now();
const client = new Client({ accessToken: args.token, basePath: args.baseUrl, numberOfApiCallRetries: 6 });
const properties = (await client.crm.properties.coreApi.getAll('contacts')).results.map((p) => p.name);
const contacts = await client.crm.contacts.getAll(100, undefined, properties);
report(started, contacts.length);
