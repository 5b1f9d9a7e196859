import type { SimResponse } from '../kit/sim-types.js';
import { invalidModule, zohoError } from './zoho-errors.js';
import { MODULES, type ModuleName } from './zoho-field-catalog.js';
import type { ZohoStore } from './zoho-store.js';
import { parseClientTime } from './zoho-time.js';

/** COQL's limits: 2,000 rows per call, 100,000 reachable through OFFSET (ZV8 COQL-Limitations). */
const MAX_LIMIT = 2000;
const MAX_REACH = 100_000;

type Value = string | number | boolean | null;
type Cond =
  | { readonly kind: 'and' | 'or'; readonly left: Cond; readonly right: Cond }
  | { readonly kind: 'cmp'; readonly field: string; readonly op: string; readonly values: readonly Value[] };

interface Query {
  readonly fields: readonly string[];
  readonly module: string;
  readonly where: Cond | null;
  readonly order: readonly { readonly field: string; readonly desc: boolean }[];
  readonly limit: number;
  readonly offset: number;
}

class CoqlSyntaxError extends Error {
  readonly near: string;
  readonly column: number;
  constructor(near: string, column: number) {
    super(`syntax error near ${near}`);
    this.near = near;
    this.column = column;
  }
}

interface Token {
  readonly text: string;
  readonly kind: 'word' | 'string' | 'number' | 'symbol';
  readonly at: number;
}

function tokenize(query: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let text = '';
      let j = i + 1;
      for (; j < query.length && query[j] !== "'"; j++) {
        if (query[j] === '\\' && j + 1 < query.length) j++;
        text += query[j];
      }
      if (j >= query.length) throw new CoqlSyntaxError(query.slice(i, i + 10), i + 1);
      out.push({ text, kind: 'string', at: i });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(query[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?/.exec(query.slice(i))!;
      out.push({ text: m[0], kind: 'number', at: i });
      i += m[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$.]*/.exec(query.slice(i))!;
      out.push({ text: m[0], kind: 'word', at: i });
      i += m[0].length;
    } else {
      const m = /^(>=|<=|!=|<>|[=<>(),])/.exec(query.slice(i));
      if (!m) throw new CoqlSyntaxError(c, i + 1);
      out.push({ text: m[0], kind: 'symbol', at: i });
      i += m[0].length;
    }
  }
  return out;
}

class Parser {
  readonly #tokens: Token[];
  #at = 0;
  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }
  peek(word?: string): boolean {
    const t = this.#tokens[this.#at];
    return t !== undefined && (word === undefined || t.text.toLowerCase() === word);
  }
  next(): Token {
    const t = this.#tokens[this.#at++];
    if (t === undefined) throw new CoqlSyntaxError('end of query', 0);
    return t;
  }
  expect(word: string): void {
    const t = this.next();
    if (t.text.toLowerCase() !== word) throw new CoqlSyntaxError(t.text, t.at + 1);
  }
  done(): boolean {
    return this.#at >= this.#tokens.length;
  }
  fail(): never {
    const t = this.#tokens[this.#at];
    throw new CoqlSyntaxError(t?.text ?? 'end of query', (t?.at ?? 0) + 1);
  }
}

function parse(query: string): Query {
  const p = new Parser(tokenize(query));
  p.expect('select');
  const fields: string[] = [];
  do {
    const t = p.next();
    if (t.kind !== 'word') p.fail();
    fields.push(t.text);
  } while (p.peek(',') && p.next());
  p.expect('from');
  const module = p.next().text;
  let where: Cond | null = null;
  if (p.peek('where')) {
    p.next();
    where = orExpr(p);
  }
  const order: { field: string; desc: boolean }[] = [];
  if (p.peek('order')) {
    p.next();
    p.expect('by');
    do {
      const field = p.next().text;
      let desc = false;
      if (p.peek('asc')) p.next();
      else if (p.peek('desc')) {
        p.next();
        desc = true;
      }
      order.push({ field, desc });
    } while (p.peek(',') && p.next());
  }
  let limit = 200;
  let offset = 0;
  if (p.peek('limit')) {
    p.next();
    const first = Number(p.next().text);
    if (p.peek(',')) {
      p.next();
      offset = first;
      limit = Number(p.next().text);
    } else {
      limit = first;
      if (p.peek('offset')) {
        p.next();
        offset = Number(p.next().text);
      }
    }
  }
  if (!p.done()) p.fail();
  return { fields, module, where, order, limit, offset };
}

function orExpr(p: Parser): Cond {
  let left = andExpr(p);
  while (p.peek('or')) {
    p.next();
    left = { kind: 'or', left, right: andExpr(p) };
  }
  return left;
}

function andExpr(p: Parser): Cond {
  let left = atom(p);
  while (p.peek('and')) {
    p.next();
    left = { kind: 'and', left, right: atom(p) };
  }
  return left;
}

function atom(p: Parser): Cond {
  if (p.peek('(')) {
    p.next();
    const inner = orExpr(p);
    p.expect(')');
    return inner;
  }
  const field = p.next();
  if (field.kind !== 'word') p.fail();
  let op = p.next().text.toLowerCase();
  if (op === 'not') op = `not ${p.next().text.toLowerCase()}`;
  if (op === 'is') {
    if (p.peek('not')) {
      p.next();
      op = 'is not';
    }
    p.expect('null');
    return { kind: 'cmp', field: field.text, op, values: [] };
  }
  if (op === 'in' || op === 'not in') {
    p.expect('(');
    const values: Value[] = [];
    do values.push(literal(p.next()));
    while (p.peek(',') && p.next());
    p.expect(')');
    return { kind: 'cmp', field: field.text, op, values };
  }
  if (op === 'between') {
    const low = literal(p.next());
    p.expect('and');
    return { kind: 'cmp', field: field.text, op, values: [low, literal(p.next())] };
  }
  if (!['=', '!=', '<>', '>', '>=', '<', '<=', 'like', 'not like'].includes(op)) p.fail();
  return { kind: 'cmp', field: field.text, op, values: [literal(p.next())] };
}

function literal(t: Token): Value {
  if (t.kind === 'string') return t.text;
  if (t.kind === 'number') return Number(t.text);
  const word = t.text.toLowerCase();
  if (word === 'true' || word === 'false') return word === 'true';
  if (word === 'null') return null;
  throw new CoqlSyntaxError(t.text, t.at + 1);
}

/** A stored value as COQL compares it: lookups by id, datetimes by instant, text case-insensitively. */
function comparable(value: unknown): Value {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

function compare(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'string') {
    const ms = parseClientTime(b);
    if (ms !== null) return a - ms;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).toLowerCase().localeCompare(String(b).toLowerCase());
}

function matches(cond: Cond, row: (field: string) => Value): boolean {
  if (cond.kind !== 'cmp') {
    return cond.kind === 'and'
      ? matches(cond.left, row) && matches(cond.right, row)
      : matches(cond.left, row) || matches(cond.right, row);
  }
  const v = row(cond.field);
  const [x, y] = cond.values;
  switch (cond.op) {
    case 'is null':
      return v === null || v === '';
    case 'is not null':
      return v !== null && v !== '';
    case 'in':
      return v !== null && cond.values.some((c) => compare(v, c) === 0);
    case 'not in':
      return v === null || !cond.values.some((c) => compare(v, c) === 0);
    case 'between':
      return v !== null && compare(v, x ?? null) >= 0 && compare(v, y ?? null) <= 0;
    case 'like':
    case 'not like': {
      const pattern = new RegExp(
        `^${String(x)
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/%/g, '.*')}$`,
        'i',
      );
      const hit = v !== null && pattern.test(String(v));
      return cond.op === 'like' ? hit : !hit;
    }
    default: {
      if (v === null) return cond.op === '!=' || cond.op === '<>' ? x !== null : false;
      const c = compare(v, x ?? null);
      return cond.op === '='
        ? c === 0
        : cond.op === '!=' || cond.op === '<>'
          ? c !== 0
          : cond.op === '>'
            ? c > 0
            : cond.op === '>='
              ? c >= 0
              : cond.op === '<'
                ? c < 0
                : c <= 0;
    }
  }
}

/** Credits a COQL call costs by its LIMIT: ≤200 → 1, ≤1000 → 2, ≤2000 → 3. */
export function coqlCost(rawBody: string): number {
  const m = /limit\s+(?:\d+\s*,\s*)?(\d+)/i.exec(rawBody);
  const limit = m ? Number(m[1]) : 200;
  return limit <= 200 ? 1 : limit <= 1000 ? 2 : 3;
}

/** `POST /crm/v8/coql` `{select_query}` → `{data, info: {count, more_records}}`; 204 when no row. */
export function runCoql(store: ZohoStore, rawBody: string): SimResponse {
  let text: unknown;
  try {
    text = (JSON.parse(rawBody) as { select_query?: unknown }).select_query;
  } catch {
    text = undefined;
  }
  if (typeof text !== 'string')
    return zohoError(400, 'REQUIRED_PARAM_MISSING', 'select_query is missing', {
      param_name: 'select_query',
    });
  let query: Query;
  try {
    query = parse(text);
  } catch (error) {
    if (error instanceof CoqlSyntaxError) {
      return zohoError(400, 'SYNTAX_ERROR', 'error occured while parsing the query', {
        line: 1,
        column: error.column,
        near: error.near,
      });
    }
    throw error;
  }
  const module = MODULES.find((m) => m.toLowerCase() === query.module.toLowerCase());
  if (module === undefined) return invalidModule(query.module);
  if (query.limit > MAX_LIMIT || query.limit < 1 || query.offset + query.limit > MAX_REACH) {
    return zohoError(400, 'LIMIT_EXCEEDED', 'limit exceeded', { limit: MAX_LIMIT, reach: MAX_REACH });
  }
  const known = (f: string): boolean => f === 'id' || store.field(module as ModuleName, f) !== undefined;
  for (const f of [...query.fields, ...query.order.map((o) => o.field)]) {
    if (!known(f))
      return zohoError(400, 'INVALID_QUERY', 'invalid query formed', {
        column_name: f,
        reason: 'column given seems to be invalid',
      });
  }
  const table = store.table(module);
  const fieldValue = (slot: number, field: string): Value => {
    if (field === 'id') return table.idOf(slot);
    if (field === 'Modified_Time') return table.modifiedMs(slot);
    if (field === 'Created_Time') return table.createdMs(slot);
    return comparable(table.values(slot)[field]);
  };
  const rows: number[] = [];
  for (const slot of table.live())
    if (query.where === null || matches(query.where, (f) => fieldValue(slot, f))) rows.push(slot);
  if (query.order.length > 0) {
    rows.sort((a, b) => {
      for (const o of query.order) {
        const c = compare(fieldValue(a, o.field) ?? '', fieldValue(b, o.field) ?? '');
        if (c !== 0) return o.desc ? -c : c;
      }
      return a - b;
    });
  }
  const page = rows.slice(query.offset, query.offset + query.limit);
  if (page.length === 0) return { status: 204 };
  return {
    status: 200,
    json: {
      data: page.map((slot) => store.output(module, slot, query.fields)),
      info: { count: page.length, more_records: query.offset + query.limit < rows.length },
    },
  };
}
