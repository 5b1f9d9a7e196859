import { z } from 'zod';
import type { LogicalType } from '../../core/column-spec.js';
import { formatIssues } from '../../core/format-issues.js';
import { TideError } from '../../core/tide-error.js';

const logicalType = z.enum(['string', 'integer', 'number', 'boolean', 'timestamp', 'date', 'json']);

const StreamDeclarationSchema = z
  .object({
    /** CRM field name (as in `_tide_record`) → type. The column is named normalizeName(field). */
    columns: z.record(z.string().min(1), logicalType),
  })
  .strict();

/**
 * models/sources.json: per CRM kind and stream, the columns the models read. `source(kind, stream)`
 * always yields exactly these columns (plus Tide's `_tide_*` columns and `_tide_source`), whatever
 * the raw table looks like today — see transform/compile/source-relation.ts.
 *
 * The kind `tide` is special: its streams are Tide's own system tables in schema `tide` (loads,
 * requests, push_log), which have no `_tide_*` columns.
 */
export const SourceDeclarationsSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9_]*$/),
  z.record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a stream name as the source names it'),
    StreamDeclarationSchema,
  ),
);

export interface SourceColumn {
  /** The CRM's field name (a key of `_tide_record`). */
  readonly field: string;
  /** The column name in raw tables and in the projected relation. */
  readonly name: string;
  readonly type: LogicalType;
}

export type SourceDeclarations = ReadonlyMap<string, ReadonlyMap<string, readonly SourceColumn[]>>;

export function parseSourceDeclarations(
  input: unknown,
  file: string,
  normalize: (field: string) => string,
): SourceDeclarations {
  const parsed = SourceDeclarationsSchema.safeParse(input);
  if (!parsed.success) {
    throw new TideError(
      'model_error',
      `${file} is invalid:\n${formatIssues(parsed.error.issues)
        .map((l) => `  - ${l}`)
        .join('\n')}`,
    );
  }
  const out = new Map<string, Map<string, SourceColumn[]>>();
  for (const [kind, streams] of Object.entries(parsed.data)) {
    const byStream = new Map<string, SourceColumn[]>();
    for (const [stream, declaration] of Object.entries(streams)) {
      byStream.set(
        stream,
        Object.entries(declaration.columns).map(([field, type]) => ({
          field,
          name: kind === 'tide' ? field : normalize(field),
          type,
        })),
      );
    }
    out.set(kind, byStream);
  }
  return out;
}
