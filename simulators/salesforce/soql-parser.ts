/**
 * The SOQL subset the simulator understands: what connectors send for extraction.
 *
 *   SELECT COUNT() | field, … FROM Object
 *   [WHERE condition]  comparisons (= != <> < <= > >= LIKE), IN / NOT IN, AND / OR / NOT, parentheses
 *   [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST], …] [LIMIT n] [OFFSET n]
 *
 * Literals: 'strings' (backslash escapes), numbers, true/false/null, unquoted UTC datetimes
 * (2005-10-08T01:02:03Z, ±hh:mm offsets, optional milliseconds) and dates (2005-10-08). Like Salesforce,
 * AND and OR may not be mixed at one level without parentheses. Anything else is MALFORMED_QUERY.
 */
export type SoqlLiteral =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'datetime'; readonly ms: number }
  | { readonly kind: 'date'; readonly value: string };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like';

export type SoqlCondition =
  | { readonly kind: 'and' | 'or'; readonly items: readonly SoqlCondition[] }
  | { readonly kind: 'not'; readonly item: SoqlCondition }
  | { readonly kind: 'compare'; readonly field: string; readonly op: CompareOp; readonly value: SoqlLiteral }
  | {
      readonly kind: 'in';
      readonly field: string;
      readonly values: readonly SoqlLiteral[];
      readonly negated: boolean;
    };

export interface SoqlOrder {
  readonly field: string;
  readonly descending: boolean;
  readonly nullsLast: boolean;
}

export interface SoqlQuery {
  readonly select:
    | { readonly kind: 'count' }
    | { readonly kind: 'fields'; readonly fields: readonly string[] };
  readonly from: string;
  readonly where: SoqlCondition | null;
  readonly orderBy: readonly SoqlOrder[];
  readonly limit: number | null;
  readonly offset: number | null;
}

export class SoqlError extends Error {}

type Token =
  | { readonly t: 'word'; readonly v: string }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'number'; readonly v: number }
  | { readonly t: 'datetime'; readonly v: number }
  | { readonly t: 'date'; readonly v: string }
  | { readonly t: 'op'; readonly v: string }
  | { readonly t: 'punct'; readonly v: string };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^-?\d+(\.\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_.]*/;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== "'"; j++) {
        if (text[j] === '\\') {
          j++;
          const esc = text[j];
          value += esc === 'n' ? '\n' : esc === 't' ? '\t' : esc === 'r' ? '\r' : (esc ?? '');
        } else value += text[j];
      }
      if (j >= text.length) throw new SoqlError(`unterminated string literal starting at ${i}`);
      out.push({ t: 'string', v: value });
      i = j + 1;
      continue;
    }
    const dt = DATETIME.exec(rest);
    if (dt) {
      const ms = Date.parse(dt[0].replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
      if (!Number.isFinite(ms)) throw new SoqlError(`invalid datetime: ${dt[0]}`);
      out.push({ t: 'datetime', v: ms });
      i += dt[0].length;
      continue;
    }
    const d = DATE.exec(rest);
    if (d) {
      out.push({ t: 'date', v: d[0] });
      i += d[0].length;
      continue;
    }
    const n = NUMBER.exec(rest);
    if (n && (ch !== '-' || /^-\d/.test(rest))) {
      out.push({ t: 'number', v: Number(n[0]) });
      i += n[0].length;
      continue;
    }
    const w = WORD.exec(rest);
    if (w) {
      out.push({ t: 'word', v: w[0] });
      i += w[0].length;
      continue;
    }
    const op = /^(!=|<>|<=|>=|=|<|>)/.exec(rest);
    if (op) {
      out.push({ t: 'op', v: op[0] === '<>' ? '!=' : op[0] });
      i += op[0].length;
      continue;
    }
    if ('(),'.includes(ch)) {
      out.push({ t: 'punct', v: ch });
      i++;
      continue;
    }
    throw new SoqlError(`unexpected character '${ch}' at ${i}`);
  }
  return out;
}

class Parser {
  readonly #tokens: Token[];
  #pos = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#pos];
  }

  #isWord(word: string, offset = 0): boolean {
    const t = this.#tokens[this.#pos + offset];
    return t?.t === 'word' && t.v.toUpperCase() === word;
  }

  #expectWord(word: string): void {
    if (!this.#isWord(word)) throw new SoqlError(`expected ${word} but found ${this.#describe()}`);
    this.#pos++;
  }

  #expectPunct(p: string): void {
    const t = this.#peek();
    if (t?.t !== 'punct' || t.v !== p) throw new SoqlError(`expected '${p}' but found ${this.#describe()}`);
    this.#pos++;
  }

  #describe(): string {
    const t = this.#peek();
    return t === undefined ? 'end of query' : `unexpected token: '${String(t.v)}'`;
  }

  #fieldName(): string {
    const t = this.#peek();
    if (t?.t !== 'word') throw new SoqlError(this.#describe());
    this.#pos++;
    return t.v;
  }

  parse(): SoqlQuery {
    this.#expectWord('SELECT');
    let select: SoqlQuery['select'];
    if (this.#isWord('COUNT') && this.#tokens[this.#pos + 1]?.v === '(') {
      this.#pos++;
      this.#expectPunct('(');
      this.#expectPunct(')');
      select = { kind: 'count' };
    } else {
      const fields = [this.#fieldName()];
      while (this.#peek()?.v === ',') {
        this.#pos++;
        fields.push(this.#fieldName());
      }
      select = { kind: 'fields', fields };
    }
    this.#expectWord('FROM');
    const from = this.#fieldName();
    let where: SoqlCondition | null = null;
    if (this.#isWord('WHERE')) {
      this.#pos++;
      where = this.#condition();
    }
    const orderBy: SoqlOrder[] = [];
    if (this.#isWord('ORDER')) {
      this.#pos++;
      this.#expectWord('BY');
      do {
        if (orderBy.length > 0) this.#pos++;
        orderBy.push(this.#order());
      } while (this.#peek()?.v === ',');
    }
    const limit = this.#clause('LIMIT');
    const offset = this.#clause('OFFSET');
    if (this.#peek() !== undefined) throw new SoqlError(this.#describe());
    return { select, from, where, orderBy, limit, offset };
  }

  #order(): SoqlOrder {
    const field = this.#fieldName();
    let descending = false;
    if (this.#isWord('ASC')) this.#pos++;
    else if (this.#isWord('DESC')) {
      this.#pos++;
      descending = true;
    }
    let nullsLast = descending;
    if (this.#isWord('NULLS')) {
      this.#pos++;
      if (this.#isWord('FIRST')) nullsLast = false;
      else if (this.#isWord('LAST')) nullsLast = true;
      else throw new SoqlError(this.#describe());
      this.#pos++;
    }
    return { field, descending, nullsLast };
  }

  #clause(word: string): number | null {
    if (!this.#isWord(word)) return null;
    this.#pos++;
    const t = this.#peek();
    if (t?.t !== 'number' || !Number.isInteger(t.v) || t.v < 0) throw new SoqlError(this.#describe());
    this.#pos++;
    return t.v;
  }

  #condition(): SoqlCondition {
    const first = this.#unary();
    const items = [first];
    let joiner: 'and' | 'or' | null = null;
    while (this.#isWord('AND') || this.#isWord('OR')) {
      const word = (this.#peek()!.v as string).toLowerCase() as 'and' | 'or';
      if (joiner !== null && joiner !== word) throw new SoqlError(this.#describe());
      joiner = word;
      this.#pos++;
      items.push(this.#unary());
    }
    return joiner === null ? first : { kind: joiner, items };
  }

  #unary(): SoqlCondition {
    if (this.#isWord('NOT')) {
      this.#pos++;
      return { kind: 'not', item: this.#unary() };
    }
    if (this.#peek()?.v === '(') {
      this.#pos++;
      const inner = this.#condition();
      this.#expectPunct(')');
      return inner;
    }
    const field = this.#fieldName();
    if (this.#isWord('IN') || (this.#isWord('NOT') && this.#isWord('IN', 1))) {
      const negated = this.#isWord('NOT');
      this.#pos += negated ? 2 : 1;
      this.#expectPunct('(');
      const values = [this.#literal()];
      while (this.#peek()?.v === ',') {
        this.#pos++;
        values.push(this.#literal());
      }
      this.#expectPunct(')');
      return { kind: 'in', field, values, negated };
    }
    let op: CompareOp;
    const t = this.#peek();
    if (t?.t === 'op') op = t.v as CompareOp;
    else if (this.#isWord('LIKE')) op = 'like';
    else throw new SoqlError(this.#describe());
    this.#pos++;
    return { kind: 'compare', field, op, value: this.#literal() };
  }

  #literal(): SoqlLiteral {
    const t = this.#peek();
    if (t === undefined) throw new SoqlError(this.#describe());
    this.#pos++;
    switch (t.t) {
      case 'string':
        return { kind: 'string', value: t.v };
      case 'number':
        return { kind: 'number', value: t.v };
      case 'datetime':
        return { kind: 'datetime', ms: t.v };
      case 'date':
        return { kind: 'date', value: t.v };
      case 'word': {
        const upper = t.v.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
        if (upper === 'NULL') return { kind: 'null' };
        break;
      }
    }
    this.#pos--;
    throw new SoqlError(this.#describe());
  }
}

export function parseSoql(text: string): SoqlQuery {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new SoqlError('empty query');
  return new Parser(tokens).parse();
}
