import type { SimControlClient } from '../../simulators/kit/sim-client.js';
import type { DestinationHarness, SimulatorFault } from './connector-harness.js';

/**
 * Pieces every simulator-backed harness shares (simulators/kit): faults and request counts through the
 * kit's `/_sim/` control API, and the destination's views of the simulator's truth.
 */
export function simulatorControls(control: SimControlClient) {
  return {
    /** Sets the kit's fault plan; `pathContains` narrows it (the destination's write endpoint). */
    async fault(f: SimulatorFault, pathContains?: string): Promise<void> {
      const count = f.kind === 'rate-limit' ? { rateLimit: f.count } : { emptyPages: f.count };
      await control.faults({ ...count, ...(pathContains === undefined ? {} : { pathContains }) });
    },
    pendingFaults: (): Promise<number> => control.pendingFaults(),
    calls: async (): Promise<number> => (await control.stats()).total,
    /** Successful write requests (the kit counts a request a write when its backend says so). */
    writeCalls: async (): Promise<number> => (await control.stats()).writes,
  };
}

/** `existingIds` over a list of live ids: each call hands out ids no earlier call did. */
export function handOut(ids: readonly string[], what: string): DestinationHarness['existingIds'] {
  let next = 0;
  return async (n) => {
    if (next + n > ids.length) throw new Error(`the harness has only ${ids.length} ${what}`);
    next += n;
    return ids.slice(next - n, next);
  };
}

/** A record's fields by id, from the simulator's truth. */
export type FieldsOf = (
  ids: readonly string[],
) => Promise<ReadonlyMap<string, Readonly<Record<string, unknown>>>>;

/**
 * `valueOf`, `valuesOf` and `snapshot` over a truth reader; `moving` names the fields the CRM stamps
 * itself on every write (left out of snapshots).
 */
export function truthViews(
  fieldsOf: FieldsOf,
  moving: (field: string) => boolean,
): Pick<DestinationHarness, 'valueOf' | 'valuesOf' | 'snapshot'> {
  return {
    valueOf: async (id, field) => (await fieldsOf([id])).get(id)?.[field],
    valuesOf: async (ids, field) => new Map([...(await fieldsOf(ids))].map(([id, r]) => [id, r[field]])),
    async snapshot(id) {
      const record = (await fieldsOf([id])).get(id) ?? {};
      return Object.fromEntries(Object.entries(record).filter(([k]) => !moving(k)));
    },
  };
}
