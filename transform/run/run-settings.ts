import type { Logger } from '../../extract/source.js';
import type { Warehouse } from '../../load/warehouse.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';

/**
 * Applies the dialect's run settings (transform/dialect/sql-dialect.ts, RunSettings) and returns what
 * restores them and finishes the run. A setting that cannot be read or changed is only logged: it
 * costs time, not correctness.
 */
export async function applyRunSettings(
  warehouse: Warehouse,
  dialect: SqlDialect,
  log: Logger,
): Promise<() => Promise<void>> {
  const settings = dialect.runSettings;
  if (!settings) return async () => {};
  const previous = new Map<string, string>();
  for (const [name, value] of Object.entries(settings.values)) {
    try {
      for await (const row of warehouse.query(settings.read(name))) previous.set(name, String(row['v']));
      if (previous.has(name)) await warehouse.execute(settings.set(name, value));
    } catch (error) {
      previous.delete(name);
      log.debug(`could not set ${name} for the models run: ${describe(error)}`);
    }
  }
  return async () => {
    try {
      for (const [name, value] of previous) await warehouse.execute(settings.set(name, value));
      await warehouse.execute(settings.finish);
    } catch (error) {
      log.debug(`restoring the settings after the models failed: ${describe(error)}`);
    }
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
