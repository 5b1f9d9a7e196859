import { TideError } from '../../core/tide-error.js';
import type { CompileContext } from '../compile/compile-context.js';

/** An argument after nested macros ran: nested calls become the SQL text they rendered. */
export type BoundValue = string | number | boolean | null | readonly BoundValue[];

export interface BoundCall {
  readonly name: string;
  readonly args: readonly BoundValue[];
  readonly kwargs: ReadonlyMap<string, BoundValue>;
  readonly line: number;
}

export interface MacroDefinition {
  /** How the macro is called, e.g. `normalize_email(expr)`; `expr` marks a SQL expression argument. */
  readonly signature: string;
  /** One sentence for transform/README.md and error hints. */
  readonly summary: string;
  render(call: BoundCall, ctx: CompileContext): string;
}

export function macroError(ctx: CompileContext, call: BoundCall, message: string): TideError {
  return new TideError('model_error', `${ctx.file}:${call.line}: ${call.name}(): ${message}`);
}

/** Positional-argument readers that fail with the macro's signature in the message. */
export class MacroArgs {
  readonly #call: BoundCall;
  readonly #ctx: CompileContext;
  readonly #signature: string;

  constructor(call: BoundCall, ctx: CompileContext, signature: string) {
    this.#call = call;
    this.#ctx = ctx;
    this.#signature = signature;
  }

  count(min: number, max = min): this {
    const n = this.#call.args.length;
    if (n < min || n > max)
      throw this.#error(`expected ${min === max ? min : `${min}–${max}`} argument(s), got ${n}`);
    return this;
  }

  text(i: number): string {
    const v = this.#call.args[i];
    if (typeof v !== 'string') throw this.#error(`argument ${i + 1} must be a quoted string`);
    return v;
  }

  optionalText(i: number): string | undefined {
    return this.#call.args[i] === undefined ? undefined : this.text(i);
  }

  number(i: number): number {
    const v = this.#call.args[i];
    if (typeof v !== 'number') throw this.#error(`argument ${i + 1} must be a number`);
    return v;
  }

  texts(from: number): string[] {
    const out: string[] = [];
    for (let i = from; i < this.#call.args.length; i++) out.push(this.text(i));
    return out;
  }

  /** An optional list of plain strings (`['a', 'b']`); empty when the argument is absent. */
  optionalList(i: number): string[] {
    const v = this.#call.args[i];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      throw this.#error(`argument ${i + 1} must be a list of quoted strings`);
    return [...v];
  }

  /** Strings and numbers from position `from` on (JSON keys and array indexes). */
  path(from: number): (string | number)[] {
    const out: (string | number)[] = [];
    for (let i = from; i < this.#call.args.length; i++) {
      const v = this.#call.args[i];
      if (typeof v !== 'string' && typeof v !== 'number')
        throw this.#error(`argument ${i + 1} must be a key or an index`);
      out.push(v);
    }
    return out;
  }

  #error(message: string): TideError {
    return macroError(this.#ctx, this.#call, `${message} — usage: ${this.#signature}`);
  }
}
