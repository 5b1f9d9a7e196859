import { cstVisitor, parse } from 'sql-parser-cst';
import type { QueryParameter } from './bigquery-rest-shapes.js';
import { decodeParameter } from './bigquery-wire.js';
import { rawLineBreaksIn } from './googlesql-lexical.js';

/** A query job's parameters: named ones as an object, positional ones as an array (plain values). */
export type JobParams = Readonly<Record<string, unknown>> | readonly unknown[] | undefined;

export /** The GoogleSQL checks BigQuery makes before a job runs: syntax, and a value for each parameter. */
function checkSql(
  sql: string,
  parameters: readonly { readonly name?: string | undefined }[],
  mode: string | undefined,
): { reason: string; message: string } | null {
  let program: ReturnType<typeof parse>;
  try {
    program = parse(sql, { dialect: 'bigquery', paramTypes: ['?', '@name'] });
  } catch (e) {
    return {
      reason: 'invalidQuery',
      message: `Syntax error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    };
  }
  // BigQuery's lexer refuses what sql-parser-cst takes: a raw line break inside a quoted string.
  if (rawLineBreaksIn(program).length > 0) {
    return { reason: 'invalidQuery', message: 'Syntax error: Unclosed string literal' };
  }
  const used: string[] = [];
  cstVisitor({ parameter: (node) => void used.push(node.text) })(program);
  const positional = used.filter((u) => u === '?').length;
  const names = new Set(parameters.map((p) => p.name));
  if (positional > 0 && used.some((u) => u !== '?')) {
    return { reason: 'invalidQuery', message: 'Query cannot mix named and positional parameters' };
  }
  if (positional > 0 && (mode?.toLowerCase() !== 'positional' || parameters.length !== positional)) {
    return {
      reason: 'invalidQuery',
      message: `Query has ${positional} positional parameters but ${parameters.length} were given`,
    };
  }
  const missing = used.find((u) => u !== '?' && !names.has(u.slice(1)));
  if (missing !== undefined)
    return { reason: 'invalidQuery', message: `Query parameter '${missing.slice(1)}' not found` };
  return null;
}

export function decodeParams(
  parameters: readonly QueryParameter[] | undefined,
  mode: string | undefined,
): JobParams {
  if (parameters === undefined) return undefined;
  const decoded = parameters.map((p) => decodeParameter(p));
  if (mode?.toLowerCase() === 'positional') return decoded;
  return Object.fromEntries(parameters.map((p, i) => [p.name ?? `_${i}`, decoded[i]]));
}
