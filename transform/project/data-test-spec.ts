import { z } from 'zod';
import { formatIssues } from '../../core/format-issues.js';
import { TideError } from '../../core/tide-error.js';
import { parseTemplate, type Segment } from '../template/template-parser.js';

const severity = z.enum(['error', 'warn']).default('error');
const options = { where: z.string().min(1).optional(), severity };
const scalar = z.union([z.string(), z.number(), z.boolean()]);

const ColumnTestSchema = z.union([
  z.enum(['unique', 'not_null']),
  z.object({ unique: z.object(options).strict() }).strict(),
  z.object({ not_null: z.object(options).strict() }).strict(),
  z
    .object({ accepted_values: z.object({ values: z.array(scalar).nonempty(), ...options }).strict() })
    .strict(),
  z
    .object({
      relationships: z
        .object({ to: z.string().regex(/^[a-z][a-z0-9_]*$/), field: z.string().min(1), ...options })
        .strict(),
    })
    .strict(),
]);

/**
 * `<model>.json` next to `<model>.sql`: the model's data tests. Column tests: unique, not_null,
 * accepted_values, relationships (every non-null value exists in another model's field). Model tests:
 * a custom SQL assertion that selects the offending rows (it may use macros, `{{ this }}` included).
 */
export const ModelTestsFileSchema = z
  .object({
    description: z.string().optional(),
    /** Another model whose column descriptions this one shares (a history of it, a view over it). */
    describe_like: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .optional(),
    columns: z
      .record(
        z.string().min(1),
        z
          .object({ description: z.string().optional(), tests: z.array(ColumnTestSchema).default([]) })
          .strict(),
      )
      .default({}),
    tests: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a snake_case test name'),
            /** A SELECT returning the rows that break the rule; an array is joined with newlines. */
            sql: z.union([z.string().min(1), z.array(z.string()).nonempty()]),
            severity,
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

type Severity = 'error' | 'warn';
interface Common {
  readonly model: string;
  readonly severity: Severity;
  readonly where: string | undefined;
}
export type DataTestSpec =
  | (Common & { readonly kind: 'unique' | 'not_null'; readonly column: string })
  | (Common & {
      readonly kind: 'accepted_values';
      readonly column: string;
      readonly values: readonly (string | number | boolean)[];
    })
  | (Common & {
      readonly kind: 'relationships';
      readonly column: string;
      readonly to: string;
      readonly field: string;
    })
  | (Common & {
      readonly kind: 'assert';
      readonly name: string;
      readonly file: string;
      readonly segments: readonly Segment[];
    });

export interface ModelTestsFile {
  readonly description: string | undefined;
  readonly describeLike: string | undefined;
  readonly columns: ReadonlyMap<string, string | undefined>;
  readonly tests: readonly DataTestSpec[];
}

export function parseModelTests(model: string, input: unknown, file: string): ModelTestsFile {
  const parsed = ModelTestsFileSchema.safeParse(input);
  if (!parsed.success) {
    throw new TideError(
      'model_error',
      `${file} is invalid:\n${formatIssues(parsed.error.issues)
        .map((l) => `  - ${l}`)
        .join('\n')}`,
    );
  }
  const tests: DataTestSpec[] = [];
  const columns = new Map<string, string | undefined>();
  for (const [column, spec] of Object.entries(parsed.data.columns)) {
    columns.set(column, spec.description);
    for (const test of spec.tests) {
      if (test === 'unique' || test === 'not_null') {
        tests.push({ model, kind: test, column, severity: 'error', where: undefined });
      } else if ('unique' in test) {
        tests.push({
          model,
          kind: 'unique',
          column,
          severity: test.unique.severity,
          where: test.unique.where,
        });
      } else if ('not_null' in test) {
        tests.push({
          model,
          kind: 'not_null',
          column,
          severity: test.not_null.severity,
          where: test.not_null.where,
        });
      } else if ('accepted_values' in test) {
        const t = test.accepted_values;
        tests.push({
          model,
          kind: 'accepted_values',
          column,
          values: t.values,
          severity: t.severity,
          where: t.where,
        });
      } else {
        const t = test.relationships;
        tests.push({
          model,
          kind: 'relationships',
          column,
          to: t.to,
          field: t.field,
          severity: t.severity,
          where: t.where,
        });
      }
    }
  }
  for (const test of parsed.data.tests) {
    const sql = Array.isArray(test.sql) ? test.sql.join('\n') : test.sql;
    tests.push({
      model,
      kind: 'assert',
      name: test.name,
      file,
      segments: parseTemplate(sql, `${file} (test ${test.name})`),
      severity: test.severity,
      where: undefined,
    });
  }
  return { description: parsed.data.description, describeLike: parsed.data.describe_like, columns, tests };
}
