import { z } from 'zod';
import { type PlantedText, PlantTextSchema } from '../kit/plant-text.js';
import { SeededRandom } from '../kit/seeded-random.js';
import type { SimControl } from '../kit/sim-types.js';
import type { ZohoBulkRead } from './zoho-bulk-read.js';
import { type DataType, MODULES, type ModuleName } from './zoho-field-catalog.js';
import type { ZohoLimits } from './zoho-limits.js';
import type { ZohoOAuthServer } from './zoho-oauth.js';
import type { ZohoStore } from './zoho-store.js';
import type { StoredValues } from './zoho-table.js';

const Module = z.enum(MODULES);

const MutateSchema = z
  .object({
    object: Module,
    create: z.number().int().nonnegative().default(0),
    update: z.number().int().nonnegative().default(0),
    /** Moves N live records to the recycle bin. */
    delete: z.number().int().nonnegative().default(0),
    /** Empties N recycle-bin entries: those records are now permanently deleted. */
    purge: z.number().int().nonnegative().default(0),
    /** Every change of this call gets the same Modified_Time (ties). */
    sameTimestamp: z.boolean().default(true),
    /** Update / delete these records instead of random ones. */
    ids: z.array(z.string()).optional(),
    /** Values the updated records get (API names), on top of the usual change. */
    setFields: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const ConfigureSchema = z
  .object({
    dailyCredits: z.number().int().nonnegative().optional(),
    concurrency: z.number().int().nonnegative().optional(),
    heavyConcurrency: z.number().int().nonnegative().optional(),
    downloadsPerMinute: z.number().int().nonnegative().optional(),
    tokenTtlSeconds: z.number().int().positive().optional(),
    expireTokens: z.boolean().optional(),
    deniedModules: z.array(z.string()).optional(),
    bulkJobMs: z.number().int().nonnegative().optional(),
    bulkRowsPerJob: z.number().int().positive().max(200_000).optional(),
    bulkFailModules: z.array(z.string()).optional(),
    /** Added to every API response inside the backend (calls overlap: concurrency limits bite). */
    latencyMs: z.number().int().nonnegative().optional(),
    /** A new custom field; records updated afterwards can carry values for it. */
    addField: z
      .object({
        module: Module,
        api_name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
        label: z.string().optional(),
        data_type: z
          .enum(['text', 'integer', 'double', 'boolean', 'date', 'datetime', 'picklist'])
          .default('text'),
        options: z.array(z.string()).optional(),
      })
      .optional(),
  })
  .strict();

/** What an update changes by default, per module: a plain field each (besides Modified_Time). */
const TOUCH: Readonly<Record<ModuleName, string>> = {
  Leads: 'Designation',
  Contacts: 'Title',
  Accounts: 'Billing_City',
  Deals: 'Deal_Name',
  Tasks: 'Subject',
  Calls: 'Subject',
  Events: 'Event_Title',
  Notes: 'Note_Title',
};

export interface BackendTuning {
  latencyMs: number;
}

/** The `/_sim/` operations of the Zoho simulator. */
export class ZohoControl implements SimControl {
  readonly #store: ZohoStore;
  readonly #limits: ZohoLimits;
  readonly #oauth: ZohoOAuthServer;
  readonly #bulk: ZohoBulkRead;
  readonly #tuning: BackendTuning;
  readonly #random: SeededRandom;
  #round = 0;

  constructor(
    store: ZohoStore,
    limits: ZohoLimits,
    oauth: ZohoOAuthServer,
    bulk: ZohoBulkRead,
    tuning: BackendTuning,
  ) {
    this.#store = store;
    this.#limits = limits;
    this.#oauth = oauth;
    this.#bulk = bulk;
    this.#tuning = tuning;
    this.#random = new SeededRandom(store.seed ^ 0x5a5a);
  }

  mutate(body: unknown): unknown {
    const m = MutateSchema.parse(body);
    const store = this.#store;
    const table = store.table(m.object);
    const round = ++this.#round;
    const at = store.clock.now();
    const stamp = (): number => (m.sameTimestamp ? at : store.clock.now());
    const pick = (n: number): number[] => {
      if (m.ids !== undefined) {
        return m.ids.map((id) => table.slotOf(id)).filter((s): s is number => s !== null && table.isLive(s));
      }
      const live = [...table.live()];
      const chosen = new Set<number>();
      while (chosen.size < Math.min(n, live.length)) chosen.add(live[this.#random.int(live.length)]!);
      return [...chosen].sort((a, b) => a - b);
    };
    const created: string[] = [];
    for (let i = 0; i < m.create; i++) {
      const values: StoredValues = newRecord(m.object, round, i);
      const t = stamp();
      created.push(table.idOf(table.add(-1, t, t, values)));
    }
    const updated: string[] = [];
    for (const slot of m.update > 0 || (m.ids !== undefined && m.delete === 0) ? pick(m.update) : []) {
      const touch = TOUCH[m.object];
      table.write(
        slot,
        { [touch]: `${String(table.values(slot)[touch] ?? '')} ·${round}`.trim(), ...(m.setFields ?? {}) },
        stamp(),
      );
      updated.push(table.idOf(slot));
    }
    const deleted: string[] = [];
    for (const slot of m.delete > 0 ? pick(m.delete) : []) {
      table.delete(slot, stamp(), 'recycle', String(table.values(slot)[TOUCH[m.object]] ?? table.idOf(slot)));
      deleted.push(table.idOf(slot));
    }
    const purged: string[] = [];
    const recycled = [...table.deletions()].filter(([, d]) => d.type === 'recycle').map(([slot]) => slot);
    for (const slot of recycled.slice(0, m.purge)) {
      table.purge(slot, stamp());
      purged.push(table.idOf(slot));
    }
    return {
      ids: [...created, ...updated, ...deleted, ...purged],
      created,
      updated,
      deleted,
      purged,
      at: new Date(at).toISOString(),
    };
  }

  configure(body: unknown): unknown {
    const c = ConfigureSchema.parse(body);
    this.#limits.configure({
      ...(c.dailyCredits === undefined ? {} : { dailyCredits: c.dailyCredits }),
      ...(c.concurrency === undefined ? {} : { concurrency: c.concurrency }),
      ...(c.heavyConcurrency === undefined ? {} : { heavyConcurrency: c.heavyConcurrency }),
      ...(c.downloadsPerMinute === undefined ? {} : { downloadsPerMinute: c.downloadsPerMinute }),
    });
    const oauth = this.#oauth.settings;
    if (c.tokenTtlSeconds !== undefined) oauth.tokenTtlSeconds = c.tokenTtlSeconds;
    if (c.deniedModules !== undefined) oauth.deniedModules = c.deniedModules;
    if (c.expireTokens === true) this.#oauth.expireAll();
    if (c.bulkJobMs !== undefined) this.#bulk.settings.jobMs = c.bulkJobMs;
    if (c.bulkRowsPerJob !== undefined) this.#bulk.settings.rowsPerJob = c.bulkRowsPerJob;
    if (c.bulkFailModules !== undefined) this.#bulk.settings.failModules = c.bulkFailModules;
    if (c.latencyMs !== undefined) this.#tuning.latencyMs = c.latencyMs;
    let added: string | undefined;
    if (c.addField !== undefined) {
      const f = c.addField;
      added = this.#store.addField(f.module, {
        api_name: f.api_name,
        label: f.label ?? f.api_name.replaceAll('_', ' '),
        data_type: f.data_type satisfies DataType,
        ...(f.options ? { options: f.options } : {}),
        ...(f.data_type === 'text' ? { length: 255 } : {}),
      }).api_name;
    }
    return {
      ...this.#limits.settings(),
      tokenTtlSeconds: oauth.tokenTtlSeconds,
      deniedModules: oauth.deniedModules,
      tokensIssued: this.#oauth.issuedCount,
      bulkJobMs: this.#bulk.settings.jobMs,
      latencyMs: this.#tuning.latencyMs,
      ...(added === undefined ? {} : { addedField: added }),
    };
  }

  /**
   * Hostile text into the Title of the first live Contacts (or, with `field`, into a new custom text
   * field: schema drift), stamped `modifiedAt` (default now).
   */
  plantText(body: unknown): PlantedText {
    const { values, modifiedAt, field } = PlantTextSchema.parse(body);
    const store = this.#store;
    const table = store.table('Contacts');
    const target =
      field === undefined
        ? 'Title'
        : store.addField('Contacts', { api_name: field, label: field, data_type: 'text', length: 255 })
            .api_name;
    const at = modifiedAt === undefined ? store.clock.now() : Date.parse(modifiedAt);
    const slots = [...table.live()].slice(0, values.length);
    if (slots.length < values.length) throw new Error(`only ${slots.length} live Contacts`);
    for (const [i, slot] of slots.entries()) table.write(slot, { [target]: values[i]! }, at);
    return { object: 'Contacts', field: target, ids: slots.map((slot) => table.idOf(slot)) };
  }

  truth(object: string): Iterable<unknown> {
    if (object === 'users') return this.#store.users.map((u) => ({ ...u }));
    const module = Module.safeParse(object);
    if (!module.success)
      throw new Error(`unknown Zoho module '${object}' (use one of ${MODULES.join(', ')}, users)`);
    return this.#store.truth(module.data);
  }

  load(object: string, lines: Iterable<string>): number {
    const module = Module.parse(object);
    const table = this.#store.table(module);
    let n = 0;
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      const { id, ...values } = record;
      const slot = typeof id === 'string' ? table.slotOf(id) : null;
      if (slot !== null && table.isLive(slot)) this.#store.write(module, slot, values);
      else {
        const now = this.#store.clock.now();
        table.add(-1, now, now, values);
      }
      n++;
    }
    return n;
  }
}

/** A record created through the control API: the module's mandatory fields, distinct per round. */
function newRecord(module: ModuleName, round: number, i: number): StoredValues {
  const tag = `${round}-${i}`;
  switch (module) {
    case 'Leads':
      return { Last_Name: `New ${tag}`, Company: `Newco ${tag}`, Email: `new.lead.${tag}@newco.example.com` };
    case 'Contacts':
      return { First_Name: 'New', Last_Name: `Contact ${tag}`, Email: `new.contact.${tag}@example.org` };
    case 'Accounts':
      return { Account_Name: `Newco ${tag}` };
    case 'Deals':
      return { Deal_Name: `New deal ${tag}`, Stage: 'Qualification', Amount: 1000 };
    case 'Tasks':
    case 'Calls':
      return { Subject: `New ${module} ${tag}` };
    case 'Events':
      return { Event_Title: `New event ${tag}` };
    case 'Notes':
      return { Note_Title: `New note ${tag}`, Note_Content: 'created by the simulator' };
  }
}
