import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTsFiles } from './import-graph.js';

/**
 * Warehouse differences live in the dialects (load/dialect/dialect.ts): code outside them neither asks
 * which warehouse it is nor escapes quotes itself. The scan covers the shipped stages; the dialects
 * and the two warehouse lists (which dialect or warehouse a configured name means) are the exceptions.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const STAGES = ['core', 'load', 'extract', 'transform', 'reverse', 'http', 'log', 'config', 'cli', 'ops'];
const EXEMPT = [
  /^load\/dialect\//,
  /^load\/[a-z]+\/[a-z]+-dialect\.ts$/,
  /^load\/dialects\.ts$/,
  /^load\/open-warehouse\.ts$/,
];
const RULES: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  {
    what: 'branches on which warehouse it is (declare a capability on the dialect instead)',
    pattern:
      /(===|!==)\s*['"`](duckdb|bigquery)['"`]|['"`](duckdb|bigquery)['"`]\s*(===|!==)|case\s+['"`](duckdb|bigquery)['"`]/,
  },
  {
    what: "escapes quotes itself (use the dialect's quoteIdent or string)",
    pattern: /\.replace(All)?\(\s*(["'`]["'`]["'`]|\/["'`]\/g?)/,
  },
];

function boundaryViolations(files: readonly { path: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const { path, text } of files) {
    if (EXEMPT.some((e) => e.test(path))) continue;
    text.split('\n').forEach((line, i) => {
      for (const rule of RULES)
        if (rule.pattern.test(line)) out.push(`${path}:${i + 1} ${rule.what}: ${line.trim()}`);
    });
  }
  return out;
}

describe('nothing outside a dialect quotes, escapes or branches on the warehouse', () => {
  it('the stages hold none of it', () => {
    const files = listTsFiles(ROOT)
      .filter((f) => STAGES.includes(f.split('/')[0] ?? ''))
      .map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
    expect(files.length).toBeGreaterThan(100);
    expect(boundaryViolations(files)).toEqual([]);
  });

  /** The line that was load/duckdb/duckdb-warehouse.ts's own sqlString(). */
  const ESCAPES_ITSELF = "return `'$" + '{text.replaceAll("\'", "\'\'")}\'`;';

  it('the scan catches each kind (lines of the code this replaced), and spares the dialects', () => {
    const found = boundaryViolations([
      {
        path: 'reverse/run-reverse.ts',
        text: "const flushEvery = options.warehouse.dialect === 'duckdb' ? 1 : 2_000;",
      },
      { path: 'load/duckdb/duckdb-warehouse.ts', text: ESCAPES_ITSELF },
      { path: 'load/duckdb/duckdb-dialect.ts', text: ESCAPES_ITSELF },
    ]);
    expect(found.map((f) => f.split(' ')[0])).toEqual([
      'reverse/run-reverse.ts:1',
      'load/duckdb/duckdb-warehouse.ts:1',
    ]);
  });
});
