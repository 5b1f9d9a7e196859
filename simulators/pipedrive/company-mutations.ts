import { z } from 'zod';
import { SeededRandom } from '../kit/seeded-random.js';
import { ENTITIES, type Entity, hasCustomFields } from './entity-kinds.js';
import type { EntityTable, WrittenValues } from './entity-table.js';
import type { PipedriveStore } from './pipedrive-store.js';
import { ANCHOR_MS, isoDate, rfc3339 } from './pipedrive-time.js';
import { customValue } from './seed-context.js';

const FIELD_TYPES = ['varchar', 'text', 'double', 'date', 'enum', 'set'] as const;

export const MutateSchema = z
  .object({
    object: z.enum([...ENTITIES, 'leads']).optional(),
    create: z.number().int().nonnegative().default(0),
    update: z.number().int().nonnegative().default(0),
    delete: z.number().int().nonnegative().default(0),
    /** Every touched record gets one identical update_time second (an import, an automation). */
    sameTimestamp: z.boolean().default(false),
    /** Update exactly these records too (numeric ids; lead UUIDs). */
    ids: z.array(z.union([z.number(), z.string()])).optional(),
    /** Values written on updated and created records instead of the usual edits (custom_fields by hash). */
    set: z.record(z.string(), z.unknown()).optional(),
    /** Renames a custom field: its hash key stays, its name and update_time change. */
    renameField: z
      .object({ object: z.enum(ENTITIES), key: z.string(), newName: z.string().min(1) })
      .optional(),
    /** Adds a custom field mid-stream: records edited afterwards get values for it. */
    addField: z
      .object({
        object: z.enum(ENTITIES),
        name: z.string().min(1),
        type: z.enum(FIELD_TYPES).default('varchar'),
        options: z.array(z.string()).optional(),
      })
      .optional(),
  })
  .strict();

export interface MutationResult {
  readonly ids: string[];
  readonly created: string[];
  readonly updated: string[];
  readonly deleted: string[];
  /** When the mutation started: every record it touched has update_time >= this. */
  readonly at: string;
  readonly field?: { readonly key: string; readonly name: string };
}

/**
 * Changes the company the way its users would: creates, edits and deletes records, renames or adds
 * custom fields, stamping update_time with the simulator clock. Picks are deterministic for a given
 * simulator history.
 */
export class CompanyMutations {
  readonly #store: PipedriveStore;
  readonly #random: SeededRandom;
  #serial = 0;

  constructor(store: PipedriveStore, seed: number) {
    this.#store = store;
    this.#random = new SeededRandom(seed ^ 0x0d1e_5eed);
  }

  apply(input: unknown): MutationResult {
    const m = MutateSchema.parse(input);
    const store = this.#store;
    const startedAt = store.now();
    const fixed = m.sameTimestamp ? startedAt : null;
    const stamp = (): number => fixed ?? store.now();
    let field: MutationResult['field'];
    if (m.renameField) {
      const def = store.catalog.rename(
        m.renameField.object,
        m.renameField.key,
        m.renameField.newName,
        stamp(),
      );
      field = { key: def.key, name: def.name };
    }
    if (m.addField) {
      const def = store.catalog.add(m.addField.object, m.addField, stamp());
      field = { key: def.key, name: def.name };
    }
    const out = { created: [] as string[], updated: [] as string[], deleted: [] as string[] };
    const touchesRecords = m.create + m.update + m.delete + (m.ids?.length ?? 0) > 0;
    if (touchesRecords && m.object === undefined) throw new Error('mutate: `object` is required');
    if (m.object !== undefined && touchesRecords) {
      const kind = m.object;
      const table = kind === 'leads' ? store.leads : store.table(kind);
      const idOf = (slot: number): string => (kind === 'leads' ? store.leadId(slot) : String(table.id(slot)));
      const used = new Set<number>();
      for (let i = 0; i < m.create; i++) {
        const slot = store.create(kind, { ...this.#fresh(kind), ...m.set }, stamp());
        used.add(slot);
        out.created.push(idOf(slot));
      }
      const explicit = (m.ids ?? []).map((id) => {
        const slot = kind === 'leads' ? store.leadSlot(String(id)) : table.slotOf(Number(id));
        if (slot === undefined || table.isDeleted(slot)) throw new Error(`no live ${kind} with id ${id}`);
        return slot;
      });
      for (const slot of [...explicit, ...this.#pick(table, m.update, used)]) {
        used.add(slot);
        store.update(kind, slot, m.set ? { ...m.set } : this.#edit(kind), stamp());
        out.updated.push(idOf(slot));
      }
      for (const slot of this.#pick(table, m.delete, used)) {
        used.add(slot);
        store.remove(kind, slot, stamp());
        out.deleted.push(idOf(slot));
      }
    }
    return {
      ids: [...out.created, ...out.updated, ...out.deleted],
      ...out,
      at: rfc3339(startedAt),
      ...(field ? { field } : {}),
    };
  }

  /** A new record's values. */
  #fresh(kind: Entity | 'leads'): WrittenValues {
    const n = ++this.#serial;
    const r = this.#random;
    const person = 1 + r.int(this.#store.table('persons').size);
    const org = 1 + r.int(this.#store.table('organizations').size);
    const owner = r.pick(this.#store.context.userIds);
    switch (kind) {
      case 'persons':
        return {
          name: `New Person ${n}`,
          first_name: 'New',
          last_name: `Person ${n}`,
          owner_id: owner,
          org_id: org,
          emails: [{ value: `new.person${n}@example.org`, primary: true, label: 'work' }],
          phones: [],
          job_title: null,
        };
      case 'organizations':
        return { name: `New Organization ${n}`, owner_id: owner, website: null, address: null };
      case 'deals':
        return {
          title: `New deal ${n}`,
          owner_id: owner,
          person_id: person,
          org_id: org,
          pipeline_id: 1,
          stage_id: 1,
          value: 1000 * (1 + r.int(20)),
          currency: 'USD',
          status: 'open',
        };
      case 'activities':
        return {
          subject: `Follow-up call ${n}`,
          type: 'call',
          owner_id: owner,
          person_id: person,
          org_id: org,
          deal_id: null,
          due_date: isoDate(this.#store.now() + 86_400_000),
          done: false,
        };
      case 'leads':
        return {
          title: `New lead ${n}`,
          owner_id: owner,
          creator_id: owner,
          person_id: person,
          is_archived: false,
        };
    }
  }

  /** An edit typical for the kind, plus values for custom fields added after seeding. */
  #edit(kind: Entity | 'leads'): WrittenValues {
    const r = this.#random;
    const values: WrittenValues = {};
    switch (kind) {
      case 'persons':
        values.job_title = r.pick(['CEO', 'CTO', 'VP Sales', 'Buyer', 'Head of Data']);
        break;
      case 'organizations':
        values.employee_count = 10 + r.int(5000);
        break;
      case 'deals':
        values.value = 500 + r.int(100_000);
        values.stage_id = 1 + r.int(5);
        break;
      case 'activities':
        values.done = r.chance(0.5);
        break;
      case 'leads':
        values.was_seen = true;
        values.title = `Lead follow-up ${r.int(10_000)}`;
        return values;
    }
    if (hasCustomFields(kind)) {
      const custom: Record<string, unknown> = {};
      for (const def of this.#store.catalog.custom(kind))
        if (def.addMs > ANCHOR_MS || r.chance(0.3))
          custom[def.key] = customValue(def, r, `edited ${r.int(1000)}`);
      values.custom_fields = custom;
    }
    return values;
  }

  /** `n` distinct live slots not in `used`, drawn at random. */
  #pick(table: EntityTable, n: number, used: ReadonlySet<number>): number[] {
    const out: number[] = [];
    const chosen = new Set<number>();
    const ok = (slot: number): boolean => !table.isDeleted(slot) && !used.has(slot) && !chosen.has(slot);
    for (let tries = 0; out.length < n && tries < n * 20 && table.size > 0; tries++) {
      const slot = this.#random.int(table.size);
      if (ok(slot)) {
        chosen.add(slot);
        out.push(slot);
      }
    }
    for (let slot = 0; out.length < n && slot < table.size; slot++) {
      if (ok(slot)) {
        chosen.add(slot);
        out.push(slot);
      }
    }
    return out;
  }
}
