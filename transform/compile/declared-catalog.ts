import { rawTableName } from '../../load/warehouse.js';
import type { SourceDeclarations } from '../project/source-declarations.js';
import { Catalog } from './catalog.js';
import type { ConfiguredSource } from './compile-context.js';
import { RAW_SYSTEM_COLUMNS } from './source-relation.js';

/**
 * A catalog for compiling without a warehouse (another dialect, tests): every configured source's
 * declared streams exist with every declared column typed as declared, and so do Tide's tables.
 */
export function declaredCatalog(
  declarations: SourceDeclarations,
  sources: readonly ConfiguredSource[],
): Catalog {
  const catalog = new Catalog();
  for (const [kind, streams] of declarations) {
    for (const [stream, columns] of streams) {
      if (kind === 'tide') {
        catalog.set({ schema: 'tide', name: stream }, { kind: 'table', columns: columns.map((c) => c.name) });
        continue;
      }
      for (const source of sources.filter((s) => s.kind === kind)) {
        const table = rawTableName(source.name, stream);
        catalog.set(
          { schema: 'raw', name: table },
          {
            kind: 'table',
            columns: [...RAW_SYSTEM_COLUMNS.map((c) => c.name), ...columns.map((c) => c.name)],
          },
        );
        for (const c of columns) catalog.setFieldColumn(table, c.field, { column: c.name, type: c.type });
      }
    }
  }
  return catalog;
}
