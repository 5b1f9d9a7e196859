import { join } from 'node:path';
import { expect } from 'vitest';
import { BigqueryDialect } from '../../load/bigquery/bigquery-dialect.js';
import { describeModelGoldens } from '../golden/model-golden.js';
import { googleSqlStatements, rawLineBreaksInStrings } from './googlesql-lexical.js';

/**
 * Golden SQL: the exact GoogleSQL each bundled model sends BigQuery, on its first build and (for
 * incremental models) on a later build that merges into the existing table. The files under
 * golden/models/ are the reviewable record of what runs on a customer's project; a change to a
 * model, a macro or the BigQuery dialect shows up there as a diff. After an intended change,
 * regenerate every golden file with `npm run golden` and read the diff.
 */
describeModelGoldens({
  dialect: new BigqueryDialect({ project: 'acme-analytics' }),
  dir: join(import.meta.dirname, 'golden', 'models'),
  parses: (text, statements) => {
    expect(googleSqlStatements(text)).toBe(statements);
    // The parser accepts what BigQuery refuses: a line break inside a quoted string.
    expect(rawLineBreaksInStrings(text)).toEqual([]);
  },
});
