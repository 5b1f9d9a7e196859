import { parse } from 'sql-parser-cst';
import { describe, expect, it } from 'vitest';
import { defaultModelsConfig } from '../../config/models-defaults.js';
import { BigqueryDialect } from '../../load/bigquery/bigquery-dialect.js';
import { type CompileEnv, compileModel, modelRelations } from '../../transform/compile/compile-model.js';
import { declaredCatalog } from '../../transform/compile/declared-catalog.js';
import { ModelGraph } from '../../transform/graph/model-graph.js';
import { planStatements } from '../../transform/run/materialize.js';
import { bundledProject, FIXTURE_SOURCES } from '../models/model-fixture.js';

/**
 * Golden SQL: the exact GoogleSQL each bundled model sends BigQuery, on its first build and (for
 * incremental models) on a later build that merges into the existing table. The files under
 * golden/models/ are the reviewable record of what runs on a customer's project; a change to a
 * model, a macro or the BigQuery dialect shows up there as a diff. After an intended change,
 * regenerate them with `npx vitest run test/bigquery/bigquery-model-golden.test.ts -u` and read the diff.
 */
const project = bundledProject();
const dialect = new BigqueryDialect({ project: 'acme-analytics' });
const env: CompileEnv = {
  dialect,
  relations: modelRelations(project),
  catalog: declaredCatalog(project.declarations, FIXTURE_SOURCES),
  sources: FIXTURE_SOURCES,
  syncs: [{ name: 'scores_to_hubspot', source: 'hubspot', object: 'contacts' }],
  declarations: project.declarations,
  config: defaultModelsConfig(),
  runId: 'golden',
  runStartedAt: new Date('2024-06-01T00:00:00.000Z'),
};

function goldenText(modelName: string): string {
  const model = project.models.get(modelName)!;
  const full = compileModel(model, env, false);
  const sections = [
    [`-- ${full.file}: first build (${full.config.materialized})`, planStatements(full, dialect, undefined)],
  ];
  if (full.config.materialized === 'incremental') {
    const later = compileModel(model, env, true);
    const existing = { kind: 'table' as const, columns: [...later.config.uniqueKey, 'loaded_at'] };
    sections.push([
      `-- ${full.file}: later build, merging into the existing table`,
      planStatements(later, dialect, existing),
    ]);
  }
  return `${sections
    .map(([title, statements]) => `${title}\n\n${(statements as string[]).map((s) => `${s};`).join('\n\n')}`)
    .join('\n\n')}\n`;
}

describe('golden BigQuery SQL of every bundled model', () => {
  const order = new ModelGraph(project, 'bigquery').order;

  it('covers every model', () => {
    expect(new Set(order)).toEqual(new Set(project.models.keys()));
  });

  for (const name of order) {
    it(name, async () => {
      const text = goldenText(name);
      // Golden and valid: the text is what BigQuery receives, and every statement in it parses.
      expect(() => parse(text, { dialect: 'bigquery', paramTypes: ['?'] })).not.toThrow();
      await expect(text).toMatchFileSnapshot(`./golden/models/${name}.sql`);
    });
  }
});
