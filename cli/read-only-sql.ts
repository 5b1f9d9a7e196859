import { TideError } from '../core/tide-error.js';

/**
 * Statements `tide sql` runs without --write: the ones that only read. DuckDB's FROM-first
 * (`from analytics.customers`), SHOW/DESCRIBE/SUMMARIZE and plain EXPLAIN included; EXPLAIN ANALYZE
 * runs its statement, so it is judged by that statement.
 */
const READING = new Set([
  'select',
  'with',
  'from',
  'values',
  'table',
  'show',
  'describe',
  'desc',
  'summarize',
]);

/**
 * The first keyword of every statement in `sql` (several are separated by `;`), lower-case; a
 * statement opening with `(` is judged by the keyword after it. Comments and quoted text are
 * skipped, so a `;` or a keyword inside them counts for nothing.
 */
export function statementKeywords(sql: string): string[] {
  const keywords: string[] = [];
  let current: string[] = [];
  let i = 0;
  const flush = (): void => {
    if (current.length > 0) keywords.push(leading(current));
    current = [];
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      i = endOf(sql, '\n', i + 2);
    } else if (c === '#') {
      // BigQuery line comment.
      i = endOf(sql, '\n', i + 1);
    } else if (c === '/' && sql[i + 1] === '*') {
      i = endOf(sql, '*/', i + 2);
    } else if (c === "'" || c === '"' || c === '`') {
      const triple = sql.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i = closingQuote(sql, triple, i + triple.length);
      current.push('"');
    } else if (c === ';') {
      flush();
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 64)) as RegExpExecArray;
      current.push(match[0].toLowerCase());
      i += match[0].length;
    } else {
      if (c === '(') current.push('(');
      i++;
    }
  }
  flush();
  return keywords;
}

/** The keyword that decides what a statement does (after opening parentheses and EXPLAIN). */
function leading(tokens: readonly string[]): string {
  let at = 0;
  while (tokens[at] === '(') at++;
  if (tokens[at] === 'explain') {
    const next = tokens[at + 1];
    if (next !== 'analyze' && next !== 'analyse') return 'select';
    at += 2;
    while (tokens[at] === '(') at++;
  }
  return tokens[at] ?? '';
}

function endOf(sql: string, terminator: string, from: number): number {
  const at = sql.indexOf(terminator, from);
  return at < 0 ? sql.length : at + terminator.length;
}

/** Past the closing quote; a doubled quote or a backslash escape stays inside. */
function closingQuote(sql: string, quote: string, from: number): number {
  let i = from;
  while (i < sql.length) {
    if (sql[i] === '\\') {
      i += 2;
    } else if (sql.startsWith(quote, i)) {
      if (quote.length === 1 && sql[i + 1] === quote) i += 2;
      else return i + quote.length;
    } else {
      i++;
    }
  }
  return i;
}

/**
 * Refuses SQL that could change the warehouse, before anything runs. On DuckDB the file is also
 * attached READ_ONLY, so whatever this reading of the text misses, DuckDB itself refuses.
 */
export function assertReadOnlySql(sql: string): void {
  const keywords = statementKeywords(sql);
  if (keywords.length === 0) {
    throw new TideError('config_invalid', 'tide sql: the query is empty');
  }
  const writing = keywords.find((k) => !READING.has(k));
  if (writing !== undefined) {
    throw new TideError(
      'permission_denied',
      `tide sql is read-only: "${writing.toUpperCase() || '?'}" is not a query (only SELECT, WITH, FROM, VALUES, SHOW, DESCRIBE, SUMMARIZE and EXPLAIN run without --write)`,
      { hint: 'add --write to run DDL or DML (it changes the warehouse: tables Tide writes can break)' },
    );
  }
}

/** DuckDB's refusal on a READ_ONLY file, said the way the CLI says it. */
export function isReadOnlyRefusal(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error);
  return /read-only mode|read only mode|attached in read-only/i.test(text);
}
