import { TideError } from '../../core/tide-error.js';

/**
 * The model template language: SQL text with `{{ macro(args) }}` calls, nothing else (no loops, no
 * conditionals: models stay readable SQL). Arguments are single- or double-quoted strings (raw: a
 * backslash is a backslash, a doubled quote is a quote), numbers, true/false/null, lists `[a, b]`,
 * `key=value` pairs and nested macro calls. A bare name such as `{{ this }}` is a call with no
 * arguments.
 */
export type TemplateValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'list'; readonly items: readonly TemplateValue[] }
  | { readonly kind: 'call'; readonly call: MacroCall };

export interface MacroCall {
  readonly name: string;
  readonly args: readonly TemplateValue[];
  readonly kwargs: ReadonlyMap<string, TemplateValue>;
  /** 1-based position of the `{{` in the file, for error messages. */
  readonly line: number;
}

export type Segment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'macro'; readonly call: MacroCall };

/** Throws TideError('model_error') naming `file:line` for malformed templates. */
export function parseTemplate(text: string, file: string): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open < 0) {
      segments.push({ kind: 'text', text: text.slice(at) });
      break;
    }
    if (open > at) segments.push({ kind: 'text', text: text.slice(at, open) });
    const line = lineAt(text, open);
    const close = findClose(text, open + 2);
    if (close < 0) throw syntaxError(file, line, 'unterminated {{ (missing }})');
    const parser = new ExpressionParser(text.slice(open + 2, close), file, line);
    segments.push({ kind: 'macro', call: parser.parseTop() });
    at = close + 2;
  }
  return segments;
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The `}}` that closes a macro, skipping `}}` inside quoted strings. */
function findClose(text: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote) {
        if (text[i + 1] === quote) i++;
        else quote = null;
      }
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

function syntaxError(file: string, line: number, message: string): TideError {
  return new TideError('model_error', `${file}:${line}: ${message}`, {
    hint: "macros look like {{ ref('customers') }} — see transform/README.md",
  });
}

class ExpressionParser {
  readonly #src: string;
  readonly #file: string;
  readonly #line: number;
  #pos = 0;

  constructor(src: string, file: string, line: number) {
    this.#src = src;
    this.#file = file;
    this.#line = line;
  }

  parseTop(): MacroCall {
    this.#skipSpace();
    const name = this.#identifier();
    if (name === null) throw this.#error('expected a macro name after {{');
    const call = this.#callAfterName(name);
    this.#skipSpace();
    if (this.#pos < this.#src.length) throw this.#error(`unexpected "${this.#src.slice(this.#pos).trim()}"`);
    return call;
  }

  #callAfterName(name: string): MacroCall {
    this.#skipSpace();
    const args: TemplateValue[] = [];
    const kwargs = new Map<string, TemplateValue>();
    if (this.#peek() !== '(') return { name, args, kwargs, line: this.#line };
    this.#pos++;
    this.#skipSpace();
    if (this.#peek() === ')') {
      this.#pos++;
      return { name, args, kwargs, line: this.#line };
    }
    for (;;) {
      this.#skipSpace();
      const save = this.#pos;
      const key = this.#identifier();
      this.#skipSpace();
      if (key !== null && this.#peek() === '=') {
        this.#pos++;
        if (kwargs.has(key)) throw this.#error(`${name}(): ${key}= given twice`);
        kwargs.set(key, this.#value());
      } else {
        this.#pos = save;
        if (kwargs.size > 0) throw this.#error(`${name}(): positional argument after key=value`);
        args.push(this.#value());
      }
      this.#skipSpace();
      const c = this.#src[this.#pos++];
      if (c === ')') return { name, args, kwargs, line: this.#line };
      if (c !== ',') throw this.#error(`${name}(): expected , or ) in the argument list`);
    }
  }

  #value(): TemplateValue {
    this.#skipSpace();
    const c = this.#peek();
    if (c === "'" || c === '"') return { kind: 'string', value: this.#string(c) };
    if (c === '[') {
      this.#pos++;
      const items: TemplateValue[] = [];
      this.#skipSpace();
      if (this.#peek() === ']') {
        this.#pos++;
        return { kind: 'list', items };
      }
      for (;;) {
        items.push(this.#value());
        this.#skipSpace();
        const next = this.#src[this.#pos++];
        if (next === ']') return { kind: 'list', items };
        if (next !== ',') throw this.#error('expected , or ] in a list');
      }
    }
    const number = /^-?\d+(\.\d+)?/.exec(this.#src.slice(this.#pos));
    if (number) {
      this.#pos += number[0].length;
      return { kind: 'number', value: Number(number[0]) };
    }
    const name = this.#identifier();
    if (name === null) throw this.#error(`unexpected "${this.#src.slice(this.#pos, this.#pos + 10)}"`);
    if (name === 'true' || name === 'false') return { kind: 'boolean', value: name === 'true' };
    if (name === 'null' || name === 'none') return { kind: 'null' };
    return { kind: 'call', call: this.#callAfterName(name) };
  }

  #string(quote: string): string {
    this.#pos++;
    let out = '';
    while (this.#pos < this.#src.length) {
      const c = this.#src[this.#pos++];
      if (c === quote) {
        if (this.#src[this.#pos] === quote) {
          out += quote;
          this.#pos++;
          continue;
        }
        return out;
      }
      out += c;
    }
    throw this.#error('unterminated string');
  }

  #identifier(): string | null {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.#src.slice(this.#pos));
    if (!m) return null;
    this.#pos += m[0].length;
    return m[0];
  }

  #peek(): string | undefined {
    return this.#src[this.#pos];
  }

  #skipSpace(): void {
    while (this.#pos < this.#src.length && /\s/.test(this.#src[this.#pos] ?? '')) this.#pos++;
  }

  #error(message: string): TideError {
    return syntaxError(this.#file, this.#line, message);
  }
}
