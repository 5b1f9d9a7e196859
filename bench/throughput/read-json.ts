import { DuckDBInstance } from '@duckdb/node-api';
import { report } from './bench-kit.js';

/**
 * DuckDB's own reader on the same records: the simulator's NDJSON truth dump into a table of a DuckDB
 * file. Child process: argv[2] = {"ndjson","db"}.
 */
const args = JSON.parse(process.argv[2]!) as { ndjson: string; db: string };
const started = performance.now();
const instance = await DuckDBInstance.create(args.db);
const connection = await instance.connect();
const quoted = `'${args.ndjson.replace(/'/g, "''")}'`;
await connection.run(`CREATE TABLE contacts AS SELECT * FROM read_json(${quoted})`);
const rows = Number((await connection.runAndReadAll('SELECT count(*) FROM contacts')).getRows()[0]![0]);
await connection.run('CHECKPOINT');
connection.closeSync();
instance.closeSync();
report(started, rows);
