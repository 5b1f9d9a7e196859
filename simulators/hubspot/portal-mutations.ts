import { z } from 'zod';
import { SeededRandom } from '../kit/seeded-random.js';
import { associatedIds, setAssociations } from './association-graph.js';
import { OBJECT_TYPES, type ObjectType } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';
import { editedValues, newRecordValues } from './new-record-values.js';
import type { ObjectTable, PropertyValues } from './object-table.js';
import { validateWrite } from './property-validation.js';
import { MERGEABLE, mergeRecords } from './record-merge.js';
import { archiveRecord, createRecord } from './record-writes.js';

export const MutateSchema = z
  .object({
    object: z.enum(OBJECT_TYPES),
    create: z.number().int().nonnegative().default(0),
    update: z.number().int().nonnegative().default(0),
    archive: z.number().int().nonnegative().default(0),
    /** Pairs merged as HubSpot merges now: a new record replaces both (record-merge.ts). */
    merge: z.number().int().nonnegative().default(0),
    /** Every touched record gets one identical last-modified millisecond (an import, a workflow). */
    sameTimestamp: z.boolean().default(false),
    /** Values written on updated and created records instead of the usual edits. */
    setProperties: z.record(z.string(), z.string().nullable()).optional(),
    /** Update exactly these records (in addition to `update` random ones). */
    ids: z.array(z.union([z.string(), z.number()]).transform(Number)).optional(),
  })
  .strict();

export interface MutationResult {
  /** Every touched id (created, updated, archived, the records of merges and what they replaced). */
  readonly ids: string[];
  readonly created: string[];
  readonly updated: string[];
  readonly archived: string[];
  /** Each merge: the new record's id and the two ids it replaced (still readable, listed nowhere). */
  readonly merged: { id: string; primary: string; secondary: string }[];
  readonly at: string;
}

/**
 * Changes the portal the way its users would: creates, edits, deletes and merges records, stamping
 * last-modified with the simulator clock. Picks are deterministic for a given simulator history.
 */
export class PortalMutations {
  readonly #store: HubspotStore;
  readonly #random: SeededRandom;
  #created = 0;

  constructor(store: HubspotStore, seed: number) {
    this.#store = store;
    this.#random = new SeededRandom(seed ^ 0x5eed_f00d);
  }

  apply(input: unknown): MutationResult {
    const m = MutateSchema.parse(input);
    const store = this.#store;
    const type = m.object;
    const table = store.table(type);
    let set: PropertyValues | undefined;
    if (m.setProperties) {
      const checked = validateWrite(store.catalog, type, m.setProperties);
      if ('problems' in checked)
        throw new Error(`setProperties: ${checked.problems.map((p) => p.message).join('; ')}`);
      set = checked.values;
    }
    if (m.merge > 0 && !MERGEABLE.includes(type)) throw new Error(`only ${MERGEABLE.join(', ')} merge`);
    const fixed = m.sameTimestamp ? store.clock.now() : null;
    const stamp = (): number => fixed ?? store.clock.now();
    const out = {
      created: [] as string[],
      updated: [] as string[],
      archived: [] as string[],
      merged: [] as MutationResult['merged'],
    };
    const used = new Set<number>();

    for (let i = 0; i < m.create; i++) {
      const ms = stamp();
      const values = { ...newRecordValues(store, type, this.#created++, this.#random, ms), ...set };
      const slot = createRecord(store, type, values, ms);
      this.#linkNew(type, table.id(slot));
      used.add(slot);
      out.created.push(String(table.id(slot)));
    }
    const explicit = (m.ids ?? []).map((id) => {
      const slot = table.slotOf(id);
      if (slot === undefined || table.isArchived(slot) || table.isMerged(slot))
        throw new Error(`no live ${type} with id ${id}`);
      return slot;
    });
    for (const slot of [...explicit, ...this.#pick(table, m.update, used)]) {
      used.add(slot);
      store.write(type, slot, this.#edit(type, set), stamp());
      out.updated.push(String(table.id(slot)));
    }
    for (const slot of this.#pick(table, m.archive, used)) {
      used.add(slot);
      archiveRecord(store, type, slot, stamp());
      out.archived.push(String(table.id(slot)));
    }
    for (let i = 0; i < m.merge; i++) {
      const [primary, secondary] = this.#pick(table, 2, used);
      if (primary === undefined || secondary === undefined) break;
      const slot = mergeRecords(store, type, primary, secondary, stamp());
      used.add(primary).add(secondary).add(slot);
      out.merged.push({
        id: String(table.id(slot)),
        primary: String(table.id(primary)),
        secondary: String(table.id(secondary)),
      });
    }
    const ids = [
      ...out.created,
      ...out.updated,
      ...out.archived,
      ...out.merged.flatMap((p) => [p.id, p.primary, p.secondary]),
    ];
    return { ids, ...out, at: new Date(fixed ?? store.clock.now()).toISOString() };
  }

  /** An edit: the type's usual changes, plus values for custom properties added mid-stream. */
  #edit(type: ObjectType, set: PropertyValues | undefined): PropertyValues {
    if (set) return { ...set };
    const values = editedValues(type, this.#random);
    for (const def of this.#store.catalog.all(type)) {
      if (!def.addedMidStream) continue;
      if (def.options && def.options.length > 0) values[def.name] = this.#random.pick(def.options);
      else if (def.type === 'number') values[def.name] = String(this.#random.int(100));
      else values[def.name] = `${def.name.slice(0, 20)} ${this.#random.int(1000)}`;
    }
    return values;
  }

  /** New deals and engagements belong to a random live contact; new contacts to a random company. */
  #linkNew(type: ObjectType, id: number): void {
    const store = this.#store;
    const target: ObjectType = type === 'contacts' ? 'companies' : 'contacts';
    if (type === 'companies') return;
    const [slot] = this.#pick(store.table(target), 1, new Set());
    if (slot === undefined) return;
    const toId = store.table(target).id(slot);
    setAssociations(store, type, target, id, [toId]);
    if (type === 'deals')
      setAssociations(store, 'deals', 'companies', id, associatedIds(store, 'contacts', 'companies', slot));
  }

  /** `n` distinct live slots not in `used`, drawn at random. */
  #pick(table: ObjectTable, n: number, used: ReadonlySet<number>): number[] {
    const out: number[] = [];
    const chosen = new Set<number>();
    const ok = (slot: number) =>
      !table.isArchived(slot) && !table.isMerged(slot) && !used.has(slot) && !chosen.has(slot);
    for (let tries = 0; out.length < n && tries < n * 20 && table.size > 0; tries++) {
      const slot = this.#random.int(table.size);
      if (ok(slot)) {
        chosen.add(slot);
        out.push(slot);
      }
    }
    // Nearly everything is taken: sweep from a random start instead of drawing forever.
    const start = table.size > 0 ? this.#random.int(table.size) : 0;
    for (let i = 0; out.length < n && i < table.size; i++) {
      const slot = (start + i) % table.size;
      if (ok(slot)) {
        chosen.add(slot);
        out.push(slot);
      }
    }
    return out;
  }
}
