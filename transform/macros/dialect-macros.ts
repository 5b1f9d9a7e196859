import { isLogicalType, type LogicalType } from '../../core/column-spec.js';
import type { Dialect } from '../../load/dialect/dialect.js';
import { MacroArgs, type MacroDefinition, macroError } from './macro-definition.js';

/** A macro whose arguments are all quoted strings, passed straight to one dialect function. */
function dialectMacro(
  signature: string,
  summary: string,
  arity: number,
  render: (dialect: Dialect, args: readonly string[]) => string,
): MacroDefinition {
  return {
    signature,
    summary,
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, signature).count(arity);
      return render(ctx.dialect, a.texts(0));
    },
  };
}

function logicalType(
  call: Parameters<MacroDefinition['render']>[0],
  ctx: Parameters<MacroDefinition['render']>[1],
  text: string,
): LogicalType {
  if (!isLogicalType(text)) throw macroError(ctx, call, `unknown type "${text}"`);
  return text;
}

/**
 * THE documented set of dialect macros: every warehouse difference a model may need goes through one
 * of these (each maps 1:1 onto load/dialect/model-sql.ts). Arguments called `expr` are SQL
 * text in quotes: `{{ regex_replace('phone', '[^0-9]', '') }}`.
 */
export const DIALECT_MACROS: Readonly<Record<string, MacroDefinition>> = {
  json_text: {
    signature: "json_text('expr', 'key' or index, ...)",
    summary: 'A scalar inside a JSON value as text (keys and array indexes from the root), NULL when absent.',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(2, 99);
      return ctx.dialect.jsonText(a.text(0), a.path(1));
    },
  },
  json_query: {
    signature: "json_query('expr', 'key' or index, ...)",
    summary: 'A JSON object or array inside a JSON value, as JSON.',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(2, 99);
      return ctx.dialect.jsonQuery(a.text(0), a.path(1));
    },
  },
  edit_distance: dialectMacro(
    "edit_distance('a_expr', 'b_expr')",
    'Levenshtein distance of two strings (DuckDB levenshtein, BigQuery EDIT_DISTANCE); NULL when either is NULL.',
    2,
    (d, [a, b]) => d.editDistance(a ?? '', b ?? ''),
  ),
  regex_replace: dialectMacro(
    "regex_replace('expr', 'pattern', 'replacement')",
    'Replaces every match of an RE2 pattern (no backreferences).',
    3,
    (d, [e, p, r]) => d.regexReplace(e ?? '', p ?? '', r ?? ''),
  ),
  regex_contains: dialectMacro(
    "regex_contains('expr', 'pattern')",
    'TRUE when the RE2 pattern matches anywhere (anchor with ^…$).',
    2,
    (d, [e, p]) => d.regexContains(e ?? '', p ?? ''),
  ),
  regex_extract: dialectMacro(
    "regex_extract('expr', 'pattern-with-one-group')",
    'The single capture group of the first match; NULL when nothing (or only "") matched.',
    2,
    (d, [e, p]) => d.regexExtract(e ?? '', p ?? ''),
  ),
  md5: dialectMacro(
    "md5('expr')",
    'Lower-case hex MD5 of a string, identical on every warehouse (stable ids).',
    1,
    (d, [e]) => d.md5Hex(e ?? ''),
  ),
  hash_id: dialectMacro(
    "hash_id('expr')",
    'A 60-bit integer id: the first 15 hex digits of md5(expr) as a number; identical on every warehouse.',
    1,
    (d, [e]) => d.hashId(e ?? ''),
  ),
  group_hash: dialectMacro(
    "group_hash('expr')",
    "A 64-bit hash of a string for GROUP BY and joins within one query, the warehouse's cheapest; differs between warehouses and versions, so never store it (hash_id is the stable one).",
    1,
    (d, [e]) => d.groupHash(e ?? ''),
  ),
  id_text: dialectMacro("id_text('expr')", 'A hash_id as its 15 lower-case hex digits.', 1, (d, [e]) =>
    d.idText(e ?? ''),
  ),
  trim_whitespace: dialectMacro(
    "trim_whitespace('expr')",
    'Removes spaces, tabs and line breaks at both ends.',
    1,
    (d, [e]) => d.trimWhitespace(e ?? ''),
  ),
  split_part: {
    signature: "split_part('expr', 'delimiter', n)",
    summary:
      'The n-th piece (1-based, -1 = last) of a string split by the delimiter; the whole string if absent.',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(3);
      return ctx.dialect.splitPart(a.text(0), a.text(1), a.number(2));
    },
  },
  epoch_seconds: dialectMacro(
    "epoch_seconds('expr')",
    'Whole seconds since 1970 of a timestamp.',
    1,
    (d, [e]) => d.epochSeconds(e ?? ''),
  ),
  strip_accents: dialectMacro("strip_accents('expr')", 'Removes diacritics (José → Jose).', 1, (d, [e]) =>
    d.stripAccents(e ?? ''),
  ),
  epoch_millis: dialectMacro("epoch_millis('expr')", 'Milliseconds since 1970 of a timestamp.', 1, (d, [e]) =>
    d.epochMillis(e ?? ''),
  ),
  seconds_between: dialectMacro(
    "seconds_between('start_expr', 'end_expr')",
    'Whole seconds from start to end.',
    2,
    (d, [a, b]) => d.secondsBetween(a ?? '', b ?? ''),
  ),
  add_days: {
    signature: "add_days('expr', n)",
    summary: 'A timestamp moved by n days (negative = earlier).',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(2);
      return ctx.dialect.addDays(a.text(0), a.number(1));
    },
  },
  parse_timestamp: dialectMacro(
    "parse_timestamp('expr')",
    'ISO-8601 text with any offset, or epoch milliseconds as text → timestamp; NULL if unparseable.',
    1,
    (d, [e]) => d.parseTimestamp(e ?? ''),
  ),
  safe_cast: {
    signature: "safe_cast('expr', 'type')",
    summary:
      'A cast that yields NULL instead of failing; type is string, integer, number, boolean, timestamp or date.',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(2);
      return ctx.dialect.safeCast(a.text(0), logicalType(call, ctx, a.text(1)));
    },
  },
  sql_type: {
    signature: "sql_type('type')",
    summary:
      "The warehouse's name of a logical type (string, integer, number, boolean, timestamp, date, json), for CAST(NULL AS …).",
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(1);
      return ctx.dialect.type(logicalType(call, ctx, a.text(0)));
    },
  },
  safe_divide: dialectMacro(
    "safe_divide('a', 'b')",
    'a / b as a float; NULL when b is 0 or NULL.',
    2,
    (d, [a, b]) => d.safeDivide(a ?? '', b ?? ''),
  ),
  first_non_null_by: {
    signature: "first_non_null_by('expr', 'order_key', ...)",
    summary:
      'Aggregate: the non-null value of the row that sorts first by the order keys (ascending, left to right).',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(2, 9);
      return ctx.dialect.firstNonNullBy(a.text(0), a.texts(1));
    },
  },
  unnest_split: dialectMacro(
    "unnest_split('expr', 'delimiter', 'alias')",
    'FROM item (after a comma): one row per piece of a delimited string, in column alias.',
    3,
    (d, [e, sep, alias]) => d.unnestSplit(e ?? '', sep ?? '', alias ?? ''),
  ),
  unnest_json_array: dialectMacro(
    "unnest_json_array('expr', 'alias')",
    'FROM item (after a comma): one row per element of a JSON array of scalars, as text.',
    2,
    (d, [e, alias]) => d.unnestJsonArray(e ?? '', alias ?? ''),
  ),
};
