/**
 * The part of OData `$filter` a CRM integration sends: comparisons (eq ne gt ge lt le) of a column
 * with a literal (`'text'` with '' escapes, numbers, true/false/null, unquoted ISO datetimes, dates
 * and GUIDs), `and` / `or` / `not`, parentheses, `contains` / `startswith` / `endswith`, and
 * Dataverse's `Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=['a','b'])`. Strings compare
 * case-insensitively, as Dataverse's default collation does. Anything else is a 400, as it would be.
 */

export type FilterValue = string | number | boolean | null;
export type Predicate = (get: (name: string) => unknown) => boolean;

export class FilterError extends Error {}

type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'punct'; readonly text: string };

const DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)$/;
const DATE = /^\d{4}-\d\d-\d\d$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?$/;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new FilterError('unterminated string literal');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      out.push({ kind: 'string', text: value });
    } else if ('(),=[]'.includes(c)) {
      out.push({ kind: 'punct', text: c });
      i++;
    } else {
      const m = /^[A-Za-z0-9_.:+-]+/.exec(text.slice(i));
      if (m === null) throw new FilterError(`unexpected character '${c}'`);
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

class Parser {
  readonly #tokens: Token[];
  #pos = 0;
  /** Every column the filter names, so the caller can refuse unknown ones as Dataverse does. */
  readonly columns: string[] = [];

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  parse(): Predicate {
    const p = this.#or();
    if (this.#pos < this.#tokens.length)
      throw new FilterError(`unexpected '${this.#tokens[this.#pos]!.text}'`);
    return p;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#pos];
  }

  #next(): Token {
    const t = this.#tokens[this.#pos++];
    if (t === undefined) throw new FilterError('the filter ends too early');
    return t;
  }

  #expect(text: string): void {
    const t = this.#next();
    if (t.kind === 'string' || t.text !== text)
      throw new FilterError(`expected '${text}' but found '${t.text}'`);
  }

  #isWord(text: string): boolean {
    const t = this.#peek();
    return t !== undefined && t.kind === 'word' && t.text.toLowerCase() === text;
  }

  #or(): Predicate {
    let left = this.#and();
    while (this.#isWord('or')) {
      this.#pos++;
      const a = left;
      const b = this.#and();
      left = (get) => a(get) || b(get);
    }
    return left;
  }

  #and(): Predicate {
    let left = this.#unary();
    while (this.#isWord('and')) {
      this.#pos++;
      const a = left;
      const b = this.#unary();
      left = (get) => a(get) && b(get);
    }
    return left;
  }

  #unary(): Predicate {
    if (this.#isWord('not')) {
      this.#pos++;
      const inner = this.#unary();
      return (get) => !inner(get);
    }
    const t = this.#peek();
    if (t?.kind === 'punct' && t.text === '(') {
      this.#pos++;
      const inner = this.#or();
      this.#expect(')');
      return inner;
    }
    return this.#primary();
  }

  #primary(): Predicate {
    const head = this.#next();
    if (head.kind !== 'word') throw new FilterError(`expected a column name but found '${head.text}'`);
    const fn = head.text.toLowerCase();
    const next = this.#peek();
    if (next?.kind === 'punct' && next.text === '(') {
      if (fn === 'microsoft.dynamics.crm.in') return this.#in();
      if (fn === 'contains' || fn === 'startswith' || fn === 'endswith') return this.#text(fn);
      throw new FilterError(`the function '${head.text}' is not supported`);
    }
    const op = this.#next();
    if (op.kind !== 'word' || !COMPARISONS.has(op.text))
      throw new FilterError(`expected a comparison after '${head.text}'`);
    const literal = this.#literal();
    const name = head.text;
    this.columns.push(name);
    return (get) => compare(get(name), op.text, literal);
  }

  #text(fn: string): Predicate {
    this.#expect('(');
    const column = this.#next();
    this.#expect(',');
    const needle = this.#next();
    this.#expect(')');
    if (column.kind !== 'word' || needle.kind !== 'string')
      throw new FilterError(`${fn}(column, 'text') expected`);
    this.columns.push(column.text);
    const n = needle.text.toLowerCase();
    return (get) => {
      const v = get(column.text);
      if (typeof v !== 'string') return false;
      const s = v.toLowerCase();
      return fn === 'contains' ? s.includes(n) : fn === 'startswith' ? s.startsWith(n) : s.endsWith(n);
    };
  }

  #in(): Predicate {
    this.#expect('(');
    let property: string | null = null;
    let values: FilterValue[] = [];
    for (;;) {
      const key = this.#next();
      this.#expect('=');
      if (key.text === 'PropertyName') {
        const v = this.#next();
        if (v.kind !== 'string') throw new FilterError('PropertyName takes a quoted column name');
        property = v.text;
      } else if (key.text === 'PropertyValues') {
        this.#expect('[');
        values = [];
        while (!(this.#peek()?.kind === 'punct' && this.#peek()?.text === ']')) {
          values.push(this.#literal());
          if (this.#peek()?.text === ',') this.#pos++;
        }
        this.#expect(']');
      } else throw new FilterError(`unknown parameter ${key.text} of Microsoft.Dynamics.CRM.In`);
      const sep = this.#next();
      if (sep.text === ')') break;
      if (sep.text !== ',') throw new FilterError("expected ',' or ')'");
    }
    if (property === null) throw new FilterError('Microsoft.Dynamics.CRM.In needs PropertyName');
    const name = property;
    this.columns.push(name);
    return (get) => values.some((v) => compare(get(name), 'eq', v));
  }

  #literal(): FilterValue {
    const t = this.#next();
    if (t.kind === 'string') return t.text;
    if (t.kind !== 'word') throw new FilterError(`expected a value but found '${t.text}'`);
    const w = t.text;
    if (w === 'null') return null;
    if (w === 'true' || w === 'false') return w === 'true';
    if (DATETIME.test(w) || DATE.test(w) || GUID.test(w)) return w;
    if (NUMBER.test(w)) return Number(w.replace(/[mMdDfFlL]$/, ''));
    throw new FilterError(`'${w}' is not a value: quote text as 'text'`);
  }
}

export function parseFilter(text: string): {
  readonly predicate: Predicate;
  readonly columns: readonly string[];
} {
  const parser = new Parser(tokenize(text));
  const predicate = parser.parse();
  return { predicate, columns: parser.columns };
}

function timeMs(v: unknown): number | null {
  if (typeof v !== 'string' || !(DATETIME.test(v) || DATE.test(v))) return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
}

function compare(actual: unknown, op: string, expected: FilterValue): boolean {
  if (expected === null || actual === null || actual === undefined) {
    const bothNull = expected === null && (actual === null || actual === undefined);
    return op === 'eq' ? bothNull : op === 'ne' ? !bothNull : false;
  }
  let a: number | string | boolean;
  let b: number | string | boolean;
  const aMs = timeMs(actual);
  const bMs = timeMs(expected);
  if (aMs !== null && bMs !== null) {
    a = aMs;
    b = bMs;
  } else if (typeof actual === 'number' && typeof expected === 'number') {
    a = actual;
    b = expected;
  } else if (typeof actual === 'boolean' || typeof expected === 'boolean') {
    a = actual === true || actual === 1;
    b = expected === true || expected === 1;
  } else {
    a = String(actual).toLowerCase();
    b = String(expected).toLowerCase();
  }
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    default:
      return a <= b;
  }
}
