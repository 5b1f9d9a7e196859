import { describe, expect, it } from 'vitest';
import { TideError } from '../../core/tide-error.js';
import { ModelGraph } from '../../transform/graph/model-graph.js';
import { selectModels } from '../../transform/graph/select-models.js';
import { loadProject } from '../../transform/project/load-project.js';
import { writeProject } from './project-fixture.js';

function graphError(files: Record<string, string>): string {
  try {
    new ModelGraph(loadProject(writeProject(files)), 'duckdb');
  } catch (error) {
    expect(error).toBeInstanceOf(TideError);
    return (error as Error).message;
  }
  throw new Error('expected the graph to be rejected');
}

describe('model graph', () => {
  const diamond = {
    'staging/a.sql': 'select 1 as id',
    'staging/b.sql': "select * from {{ ref('a') }}",
    'staging/c.sql': "select * from {{ ref('a') }}",
    'analytics/d.sql': "select * from {{ ref('b') }} join {{ ref('c') }} using (id)",
    'analytics/e.sql': 'select 2 as id',
  };

  it('orders models after everything they ref, and puts analytics/ in schema analytics', () => {
    const project = loadProject(writeProject(diamond));
    const graph = new ModelGraph(project, 'duckdb');
    const at = (n: string): number => graph.order.indexOf(n);
    expect(at('a')).toBeLessThan(at('b'));
    expect(at('a')).toBeLessThan(at('c'));
    expect(at('b')).toBeLessThan(at('d'));
    expect(at('c')).toBeLessThan(at('d'));
    expect(project.models.get('d')?.schema).toBe('analytics');
    expect(project.models.get('a')?.schema).toBe('staging');
  });

  it('selects name, name+ (downstream), +name (upstream) and unions selectors', () => {
    const graph = new ModelGraph(loadProject(writeProject(diamond)), 'duckdb');
    expect(selectModels(graph, ['b'])).toEqual(['b']);
    expect(selectModels(graph, ['b+'])).toEqual(['b', 'd']);
    expect(selectModels(graph, ['+d']).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(selectModels(graph, ['a+', 'e']).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(selectModels(graph, undefined)).toHaveLength(5);
    expect(() => selectModels(graph, ['nope'])).toThrow(/no model named "nope"/);
    expect(() => selectModels(graph, ['a++'])).toThrow(/expected name/);
  });

  it('reports every missing ref at once, each with its file and line', () => {
    const message = graphError({
      'staging/a.sql': 'select 1',
      'analytics/b.sql': "select *\nfrom {{ ref('a') }}\njoin {{ ref('missing_model') }} using (id)",
      'analytics/c.sql': "select * from {{ ref('aa') }}\nunion all select * from {{ ref('missing_model') }}",
    });
    expect(message).toContain('2 models do not exist: "missing_model", "aa"');
    expect(message).toContain("analytics/b.sql:3 ref('missing_model')");
    expect(message).toContain("analytics/c.sql:1 ref('aa') (did you mean a?)");
    expect(message).toContain("analytics/c.sql:2 ref('missing_model')");
  });

  it('reports a cycle with the file and line of every ref in it', () => {
    const message = graphError({
      'staging/a.sql': "select * from {{ ref('c') }}",
      'staging/b.sql': "-- b needs a\nselect * from {{ ref('a') }}",
      'staging/c.sql': "select 1\nunion all\nselect * from {{ ref('b') }}",
      'staging/ok.sql': 'select 1',
    });
    expect(message).toContain('models form a cycle');
    expect(message).toContain("staging/a.sql:1 ref('c')");
    expect(message).toContain("staging/b.sql:2 ref('a')");
    expect(message).toContain("staging/c.sql:3 ref('b')");
    expect(message).not.toContain('ok.sql');
  });

  it('rejects duplicate model names, bad config and an override without a base model', () => {
    expect(() =>
      loadProject(writeProject({ 'staging/a.sql': 'select 1', 'analytics/a.sql': 'select 2' })),
    ).toThrow(/a model named "a" already exists/);
    expect(() =>
      loadProject(writeProject({ 'staging/a.sql': "{{ config(materialized='snapshot') }}\nselect 1" })),
    ).toThrow(/staging\/a\.sql:1: config\(\) is invalid/);
    expect(() => loadProject(writeProject({ 'staging/a.duckdb.sql': 'select 1' }))).toThrow(
      /override without a base model/,
    );
    expect(() =>
      loadProject(writeProject({ 'staging/a.sql': "{{ config(materialized='iterative') }}\nselect 1" })),
    ).toThrow(/repeat_until_stable/);
  });
});
