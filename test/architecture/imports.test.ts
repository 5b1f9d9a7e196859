import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importEdges, listTsFiles } from './import-graph.js';
import { fileCycles, folderCycles, upwardImports } from './layers.js';

/**
 * The import graph of every .ts file in the repository (relative imports, type-only ones included):
 * no cycles between files, none between top-level folders, and no import pointing up the layers
 * (layers.ts). Each failure names the files to change.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const edges = importEdges(ROOT, listTsFiles(ROOT));

describe('imports point down and never in a circle', () => {
  it('reads the whole repository', () => {
    expect(edges.length).toBeGreaterThan(1000);
    expect(edges).toContainEqual({ from: 'reverse/push-sql.ts', to: 'load/dialect/dialect.ts' });
  });

  it('no import cycle between files', () => {
    expect(fileCycles(edges)).toEqual([]);
  });

  it('no import cycle between top-level folders', () => {
    expect(folderCycles(edges)).toEqual([]);
  });

  it('no upward import', () => {
    expect(upwardImports(edges)).toEqual([]);
  });
});

describe('the checks catch what they guard against', () => {
  it('a cycle between files, through a type-only import too', () => {
    expect(
      fileCycles([
        { from: 'load/a.ts', to: 'load/b.ts' },
        { from: 'load/b.ts', to: 'load/c.ts' },
        { from: 'load/c.ts', to: 'load/a.ts' },
        { from: 'load/c.ts', to: 'core/d.ts' },
      ]),
    ).toEqual(['load/a.ts → load/b.ts → load/c.ts → load/a.ts']);
  });

  it('a cycle between folders made of files that form no cycle themselves', () => {
    expect(
      folderCycles([
        { from: 'transform/run.ts', to: 'load/warehouse.ts' },
        { from: 'load/dialect.ts', to: 'transform/macros.ts' },
      ]),
    ).toEqual([
      'load → transform (load/dialect.ts imports transform/macros.ts) → load (transform/run.ts imports load/warehouse.ts)',
    ]);
  });

  it('each kind of upward import', () => {
    const found = upwardImports([
      { from: 'core/logger.ts', to: 'log/console-logger.ts' },
      { from: 'log/console-logger.ts', to: 'config/load-config.ts' },
      { from: 'reverse/run-sync.ts', to: 'connectors/registry.ts' },
      { from: 'transform/project/load-project.ts', to: 'config/models-defaults.ts' },
      { from: 'load/warehouse.ts', to: 'extract/cursor.ts' },
      { from: 'connectors/hubspot/a.ts', to: 'connectors/salesforce/b.ts' },
      { from: 'cli/main.ts', to: 'test/x.ts' },
      { from: 'ops/report/a.ts', to: 'connectors/registry.ts' },
      { from: 'extract/run-extract.ts', to: 'ops/runs/run-tally.ts' },
      // Allowed: down the layers, inside one CRM, a CRM to the shared connector contract.
      { from: 'connectors/hubspot/a.ts', to: 'connectors/hubspot/b.ts' },
      { from: 'connectors/hubspot/a.ts', to: 'connectors/connector.ts' },
      { from: 'reverse/push-sql.ts', to: 'load/dialect/dialect.ts' },
      { from: 'test/x.ts', to: 'cli/main.ts' },
    ]);
    expect(found.map((f) => f.split(':')[0])).toEqual([
      'core/logger.ts imports log/console-logger.ts',
      'log/console-logger.ts imports config/load-config.ts',
      'reverse/run-sync.ts imports connectors/registry.ts',
      'transform/project/load-project.ts imports config/models-defaults.ts',
      'load/warehouse.ts imports extract/cursor.ts',
      'connectors/hubspot/a.ts imports connectors/salesforce/b.ts',
      'cli/main.ts imports test/x.ts',
      'ops/report/a.ts imports connectors/registry.ts',
      'extract/run-extract.ts imports ops/runs/run-tally.ts',
    ]);
  });
});
