import { DuckDBInstance } from '@duckdb/node-api';
import { Client } from '@hubspot/api-client';
import { report } from './bench-kit.js';

/**
 * The loader a user writes in an afternoon: the official SDK's getAll() with every property of the
 * portal (the same properties Tide reads), then the DuckDB appender, one VARCHAR per property.
 * Child process: argv[2] = {"baseUrl","token","db","object"}.
 */
const args = JSON.parse(process.argv[2]!) as { baseUrl: string; token: string; db: string; object?: string };
const started = performance.now();
const client = new Client({ accessToken: args.token, basePath: args.baseUrl, numberOfApiCallRetries: 6 });
const properties = (await client.crm.properties.coreApi.getAll('contacts')).results.map((p) => p.name);
const contacts = await client.crm.contacts.getAll(100, undefined, properties);

const instance = await DuckDBInstance.create(args.db);
const connection = await instance.connect();
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
await connection.run(
  `CREATE TABLE contacts (id VARCHAR PRIMARY KEY, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, ${properties
    .map((p) => `${quote(p)} VARCHAR`)
    .join(', ')})`,
);
const appender = await connection.createAppender('contacts');
for (const contact of contacts) {
  appender.appendVarchar(contact.id);
  appender.appendVarchar(contact.createdAt.toISOString());
  appender.appendVarchar(contact.updatedAt.toISOString());
  for (const p of properties) {
    const value = contact.properties[p];
    if (value === null || value === undefined) appender.appendNull();
    else appender.appendVarchar(value);
  }
  appender.endRow();
}
appender.closeSync();
await connection.run('CHECKPOINT');
connection.closeSync();
instance.closeSync();
report(started, contacts.length);
