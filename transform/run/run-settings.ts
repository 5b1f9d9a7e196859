import type { Logger } from '../../core/logger.js';
import type { Dialect } from '../../load/dialect/dialect.js';
import type { Warehouse } from '../../load/warehouse.js';

/**
 * Applies the dialect's run settings (load/dialect/dialect.ts, RunSettings) and returns what
 * finishes the run and then restores them. A setting that cannot be read or changed is only logged: it
 * costs time, not correctness.
 */
export async function applyRunSettings(
  warehouse: Warehouse,
  dialect: Dialect,
  log: Logger,
): Promise<() => Promise<void>> {
  const settings = dialect.runSettings;
  if (!settings) return async () => {};
  const previous = new Map<string, string>();
  const change = async (values: Readonly<Record<string, string>>, when: string): Promise<void> => {
    for (const [name, value] of Object.entries(values)) {
      try {
        if (!previous.has(name))
          for await (const row of warehouse.query(settings.read(name))) previous.set(name, String(row['v']));
        await warehouse.execute(settings.set(name, value));
      } catch (error) {
        log.debug(`could not set ${name} ${when}: ${describe(error)}`);
      }
    }
  };
  await change(settings.values, 'for the models run');
  return async () => {
    // Finish first, under the run's settings: it is part of the run.
    try {
      await warehouse.execute(settings.finish);
    } catch (error) {
      log.debug(`finishing the models run failed (the next commit will do it): ${describe(error)}`);
    }
    for (const [name, value] of previous) {
      try {
        await warehouse.execute(settings.set(name, value));
      } catch (error) {
        log.debug(`could not restore ${name} after the models run: ${describe(error)}`);
      }
    }
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
