import { parse } from 'sql-parser-cst';

/**
 * What sql-parser-cst accepts but BigQuery refuses: "Quoted strings cannot contain newlines, even
 * when preceded by a backslash" (GoogleSQL lexical structure; only triple-quoted strings may). Returns
 * every single- or double-quoted string literal (raw or not) of `sql` that holds a raw line break.
 */
export function rawLineBreaksInStrings(sql: string): string[] {
  return rawLineBreaksIn(parse(sql, { dialect: 'bigquery', paramTypes: ['?'] }));
}

/** The same over a parsed GoogleSQL tree (sql-parser-cst's CST). */
export function rawLineBreaksIn(cst: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const fields = node as Readonly<Record<string, unknown>>;
    const text = fields['text'];
    if (fields['type'] === 'string_literal' && typeof text === 'string') {
      const body = text.replace(/^[rRbB]{0,2}/, '');
      const triple = body.startsWith("'''") || body.startsWith('"""');
      if (!triple && /[\n\r]/.test(body)) found.push(text);
    }
    for (const value of Object.values(fields)) walk(value);
  };
  walk(cst);
  return found;
}

/** The statements of a GoogleSQL text, without the empty one after a final `;`. */
export function googleSqlStatements(sql: string): number {
  return parse(sql, { dialect: 'bigquery', paramTypes: ['?'] }).statements.filter((s) => s.type !== 'empty')
    .length;
}
