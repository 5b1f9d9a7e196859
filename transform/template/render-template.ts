import { TideError } from '../../core/tide-error.js';
import type { CompileContext } from '../compile/compile-context.js';
import type { BoundCall, BoundValue } from '../macros/macro-definition.js';
import { MACROS } from '../macros/macro-table.js';
import type { MacroCall, Segment, TemplateValue } from './template-parser.js';

/** Renders parsed segments to SQL: text as is, each macro call through the macro table. */
export function renderSegments(segments: readonly Segment[], ctx: CompileContext): string {
  let out = '';
  for (const segment of segments) {
    out += segment.kind === 'text' ? segment.text : renderCall(segment.call, ctx);
  }
  return out;
}

export function renderCall(call: MacroCall, ctx: CompileContext): string {
  const macro = MACROS.get(call.name);
  if (!macro) {
    throw new TideError('model_error', `${ctx.file}:${call.line}: unknown macro "${call.name}"`, {
      hint: `known macros: ${[...MACROS.keys()].join(', ')}`,
    });
  }
  const kwargs = new Map<string, BoundValue>();
  for (const [key, value] of call.kwargs) kwargs.set(key, bind(value, ctx));
  const bound: BoundCall = {
    name: call.name,
    args: call.args.map((a) => bind(a, ctx)),
    kwargs,
    line: call.line,
  };
  return macro.render(bound, ctx);
}

function bind(value: TemplateValue, ctx: CompileContext): BoundValue {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return value.value;
    case 'null':
      return null;
    case 'list':
      return value.items.map((item) => bind(item, ctx));
    case 'call':
      return renderCall(value.call, ctx);
  }
}

/** Every call of `name` in the segments, nested ones included (refs for the graph, config). */
export function findCalls(segments: readonly Segment[], name: string): MacroCall[] {
  const out: MacroCall[] = [];
  const visit = (call: MacroCall): void => {
    if (call.name === name) out.push(call);
    const values = [...call.args, ...call.kwargs.values()];
    while (values.length > 0) {
      const v = values.pop();
      if (v?.kind === 'call') visit(v.call);
      else if (v?.kind === 'list') values.push(...v.items);
    }
  };
  for (const segment of segments) if (segment.kind === 'macro') visit(segment.call);
  return out;
}
