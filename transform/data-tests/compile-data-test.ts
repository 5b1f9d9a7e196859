import { TideError } from '../../core/tide-error.js';
import type { CompileEnv } from '../compile/compile-model.js';
import type { DataTestSpec } from '../project/data-test-spec.js';
import type { ModelProject } from '../project/load-project.js';
import { renderSegments } from '../template/render-template.js';

export interface CompiledDataTest {
  readonly spec: DataTestSpec;
  /** e.g. `unique(customer_id)`; custom assertions use their name. */
  readonly label: string;
  readonly column: string | null;
  /** A SELECT returning the offending rows: the test passes when it returns none. */
  readonly sql: string;
}

export function testLabel(spec: DataTestSpec): string {
  switch (spec.kind) {
    case 'unique':
    case 'not_null':
    case 'accepted_values':
      return `${spec.kind}(${spec.column})`;
    case 'relationships':
      return `relationships(${spec.column} → ${spec.to}.${spec.field})`;
    case 'assert':
      return spec.name;
  }
}

export function compileDataTest(
  spec: DataTestSpec,
  project: ModelProject,
  env: CompileEnv,
): CompiledDataTest {
  const d = env.dialect;
  const model = project.models.get(spec.model);
  if (!model) throw new TideError('model_error', `data test on unknown model ${spec.model}`);
  const self = { schema: model.schema, name: model.name };
  const from =
    spec.where === undefined ? d.relation(self) : `(SELECT * FROM ${d.relation(self)} WHERE ${spec.where})`;
  const label = testLabel(spec);
  if (spec.kind === 'assert') {
    const sql = renderSegments(spec.segments, { ...env, file: spec.file, self, incremental: false }).trim();
    return { spec, label, column: null, sql: sql.replace(/;\s*$/, '') };
  }
  const col = d.quoteIdent(spec.column);
  switch (spec.kind) {
    case 'not_null':
      return { spec, label, column: spec.column, sql: `SELECT * FROM ${from} AS m WHERE m.${col} IS NULL` };
    case 'unique':
      return {
        spec,
        label,
        column: spec.column,
        sql: `SELECT m.${col}, COUNT(*) AS n FROM ${from} AS m WHERE m.${col} IS NOT NULL GROUP BY m.${col} HAVING COUNT(*) > 1`,
      };
    case 'accepted_values': {
      const values = spec.values.map((v) => (typeof v === 'string' ? d.string(v) : String(v))).join(', ');
      return {
        spec,
        label,
        column: spec.column,
        sql: `SELECT m.${col}, COUNT(*) AS n FROM ${from} AS m WHERE m.${col} IS NOT NULL AND m.${col} NOT IN (${values}) GROUP BY m.${col}`,
      };
    }
    case 'relationships': {
      const to = project.models.get(spec.to);
      if (!to) {
        throw new TideError('model_error', `${spec.model}.json: relationships to unknown model "${spec.to}"`);
      }
      const parent = d.relation({ schema: to.schema, name: to.name });
      const field = d.quoteIdent(spec.field);
      return {
        spec,
        label,
        column: spec.column,
        sql: `SELECT m.${col}, COUNT(*) AS n FROM ${from} AS m LEFT JOIN (SELECT DISTINCT ${field} AS k FROM ${parent}) AS p ON m.${col} = p.k WHERE m.${col} IS NOT NULL AND p.k IS NULL GROUP BY m.${col}`,
      };
    }
  }
}
