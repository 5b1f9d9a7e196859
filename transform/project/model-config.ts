import { z } from 'zod';
import { formatIssues } from '../../core/format-issues.js';
import { TideError } from '../../core/tide-error.js';
import { findCalls } from '../template/render-template.js';
import type { Segment, TemplateValue } from '../template/template-parser.js';

const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case identifier');

/**
 * `{{ config(...) }}` in a model file. Materializations:
 * - view: CREATE OR REPLACE VIEW.
 * - table: CREATE OR REPLACE TABLE … AS.
 * - incremental: the first build (or a changed model, or --full-refresh) creates the table; later
 *   builds MERGE the query's rows on unique_key (or append them when there is none). The query
 *   limits itself to changed rows with {{ incremental_since(...) }}.
 * - iterative: a seed query, then a step query re-run on its own output until it changes no row
 *   (at most max_iterations, else the build fails): fixed points such as connected components.
 * `full_refresh=false` keeps an incremental table through --full-refresh and model changes (history).
 */
export const ModelConfigSchema = z
  .object({
    materialized: z.enum(['view', 'table', 'incremental', 'iterative']).default('view'),
    unique_key: z.union([identifier, z.array(identifier).nonempty()]).optional(),
    schema: identifier.optional(),
    max_iterations: z.number().int().positive().max(1000).default(50),
    full_refresh: z.boolean().default(true),
  })
  .strict();

export type Materialization = z.output<typeof ModelConfigSchema>['materialized'];

export interface ModelConfig {
  readonly materialized: Materialization;
  readonly uniqueKey: readonly string[];
  readonly schema: string | undefined;
  readonly maxIterations: number;
  readonly fullRefresh: boolean;
}

export function readModelConfig(segments: readonly Segment[], file: string): ModelConfig {
  const calls = findCalls(segments, 'config');
  if (calls.length > 1) {
    throw new TideError('model_error', `${file}:${calls[1]?.line}: config() may appear only once per model`);
  }
  const call = calls[0];
  const input: Record<string, unknown> = {};
  if (call) {
    if (call.args.length > 0) {
      throw new TideError('model_error', `${file}:${call.line}: config() takes key=value arguments only`);
    }
    for (const [key, value] of call.kwargs) input[key] = plain(value, file, call.line);
  }
  const parsed = ModelConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new TideError(
      'model_error',
      `${file}:${call?.line ?? 1}: config() is invalid: ${formatIssues(parsed.error.issues).join('; ')}`,
    );
  }
  const c = parsed.data;
  if (c.materialized === 'iterative' && findCalls(segments, 'repeat_until_stable').length !== 1) {
    throw new TideError(
      'model_error',
      `${file}: an iterative model needs exactly one {{ repeat_until_stable() }} between its seed and step queries`,
    );
  }
  return {
    materialized: c.materialized,
    uniqueKey: c.unique_key === undefined ? [] : Array.isArray(c.unique_key) ? c.unique_key : [c.unique_key],
    schema: c.schema,
    maxIterations: c.max_iterations,
    fullRefresh: c.full_refresh,
  };
}

function plain(value: TemplateValue, file: string, line: number): unknown {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return value.value;
    case 'null':
      return null;
    case 'list':
      return value.items.map((item) => plain(item, file, line));
    case 'call':
      throw new TideError('model_error', `${file}:${line}: config() values must be literals, not macros`);
  }
}
