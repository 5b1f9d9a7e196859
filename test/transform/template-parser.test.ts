import { describe, expect, it } from 'vitest';
import { TideError } from '../../core/tide-error.js';
import { findCalls } from '../../transform/template/render-template.js';
import { parseTemplate } from '../../transform/template/template-parser.js';

function failure(text: string): TideError {
  try {
    parseTemplate(text, 'models/x.sql');
  } catch (error) {
    expect(error).toBeInstanceOf(TideError);
    return error as TideError;
  }
  throw new Error('expected a syntax error');
}

describe('model templates', () => {
  it('splits SQL text from macro calls and keeps their line numbers', () => {
    const segments = parseTemplate(
      "select *\nfrom {{ ref('a') }}\njoin {{ source('hubspot', 'contacts') }}",
      'f.sql',
    );
    expect(segments.map((s) => s.kind)).toEqual(['text', 'macro', 'text', 'macro']);
    const [ref, source] = findCalls(segments, 'ref').concat(findCalls(segments, 'source'));
    expect(ref).toMatchObject({ name: 'ref', line: 2, args: [{ kind: 'string', value: 'a' }] });
    expect(source?.line).toBe(3);
    expect(source?.args.map((a) => (a.kind === 'string' ? a.value : null))).toEqual(['hubspot', 'contacts']);
  });

  it('reads key=value pairs, numbers, booleans, lists and nested calls', () => {
    const [segment] = parseTemplate(
      "{{ config(materialized='incremental', unique_key=['a', 'b'], max_iterations=7, full_refresh=false) }}",
      'f.sql',
    );
    if (segment?.kind !== 'macro') throw new Error('expected a macro');
    const kw = Object.fromEntries(segment.call.kwargs);
    expect(kw['materialized']).toEqual({ kind: 'string', value: 'incremental' });
    expect(kw['unique_key']).toEqual({
      kind: 'list',
      items: [
        { kind: 'string', value: 'a' },
        { kind: 'string', value: 'b' },
      ],
    });
    expect(kw['max_iterations']).toEqual({ kind: 'number', value: 7 });
    expect(kw['full_refresh']).toEqual({ kind: 'boolean', value: false });
    const [nested] = parseTemplate("{{ normalize_email(json_text('_tide_record', 'Email', 0)) }}", 'f.sql');
    if (nested?.kind !== 'macro') throw new Error('expected a macro');
    expect(nested.call.args[0]).toMatchObject({ kind: 'call', call: { name: 'json_text' } });
  });

  it('treats strings as raw text: backslashes stay, doubled quotes escape, }} inside quotes does not close', () => {
    const [segment] = parseTemplate("{{ regex_replace('x', '^\\s+|}}', 'it''s') }}", 'f.sql');
    if (segment?.kind !== 'macro') throw new Error('expected a macro');
    expect(segment.call.args.map((a) => (a.kind === 'string' ? a.value : null))).toEqual([
      'x',
      '^\\s+|}}',
      "it's",
    ]);
  });

  it('names the file and line of malformed macros', () => {
    expect(failure("select 1\n\nfrom {{ ref('a') ").message).toMatch(/^models\/x\.sql:3: unterminated \{\{/);
    expect(failure("{{ ref('a' 'b') }}").message).toContain('models/x.sql:1: ref(): expected , or )');
    expect(failure('{{ 42 }}').message).toContain('expected a macro name');
    expect(failure("{{ ref('a) }}").message).toContain('unterminated');
    expect(failure("{{ config(a=1, 'b') }}").message).toContain('positional argument after key=value');
  });
});
