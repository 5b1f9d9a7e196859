import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultModelsConfig } from '../../config/models-defaults.js';
import type { Dialect } from '../../load/dialect/dialect.js';
import { type CompileEnv, compileModel, modelRelations } from '../../transform/compile/compile-model.js';
import { declaredCatalog } from '../../transform/compile/declared-catalog.js';
import { ModelGraph } from '../../transform/graph/model-graph.js';
import { planStatements } from '../../transform/run/materialize.js';
import { bundledProject, FIXTURE_SOURCES } from '../models/model-fixture.js';
import { expectGolden, expectNoStrayGoldens } from './golden-file.js';

export interface ModelGoldenOptions {
  readonly dialect: Dialect;
  /** The folder of `<model>.sql` files. */
  readonly dir: string;
  /** Checks the text is valid for the warehouse (parses it); `statements` = how many it must hold. */
  readonly parses: (text: string, statements: number) => void | Promise<void>;
}

/**
 * Golden SQL of every bundled model on one warehouse: the statements of its first build and, for an
 * incremental model, of a later build merging into the existing table, with a fixed run id and clock.
 * Models are read from the models folder, so a new model gets a test (and fails until its golden file
 * is generated); a golden file whose model is gone fails too.
 */
export function describeModelGoldens(options: ModelGoldenOptions): void {
  const { dialect } = options;
  const project = bundledProject();
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

  function goldenText(modelName: string): { text: string; statements: number } {
    const model = project.models.get(modelName);
    if (model === undefined) throw new Error(`no model ${modelName}`);
    const full = compileModel(model, env, false);
    const sections: [string, string[]][] = [
      [
        `-- ${full.file}: first build (${full.config.materialized})`,
        planStatements(full, dialect, undefined),
      ],
    ];
    if (full.config.materialized === 'incremental') {
      const later = compileModel(model, env, true);
      const existing = { kind: 'table' as const, columns: [...later.config.uniqueKey, 'loaded_at'] };
      sections.push([
        `-- ${full.file}: later build, merging into the existing table`,
        planStatements(later, dialect, existing),
      ]);
    }
    const text = `${sections
      .map(([title, statements]) => `${title}\n\n${statements.map((s) => `${s};`).join('\n\n')}`)
      .join('\n\n')}\n`;
    return { text, statements: sections.reduce((n, [, statements]) => n + statements.length, 0) };
  }

  describe(`golden ${dialect.name} SQL of every bundled model`, () => {
    const order = new ModelGraph(project, dialect.name).order;

    it('covers every model, and every golden file is a model', () => {
      expect(new Set(order)).toEqual(new Set(project.models.keys()));
      expectNoStrayGoldens(options.dir, new Set(order));
    });

    for (const name of order) {
      it(name, async () => {
        const { text, statements } = goldenText(name);
        // Golden and valid: the text is what the warehouse receives, and every statement in it parses.
        await options.parses(text, statements);
        expectGolden(text, join(options.dir, `${name}.sql`));
      });
    }
  });
}
