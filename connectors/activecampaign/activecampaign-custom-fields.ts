import { TideError } from '../../core/tide-error.js';
import { type ActiveCampaignClient, PAGE_LIMIT, type Page } from './activecampaign-client.js';
import {
  type CustomFieldDef,
  type CustomFieldMap,
  customFieldMap,
  STANDARD_COLUMNS,
} from './activecampaign-columns.js';
import { contactFieldName } from './activecampaign-crm-field.js';
import {
  ContactFieldValuesSchema,
  CustomDatumSchema,
  CustomMetaSchema,
  FieldSchema,
  FieldValueSchema,
} from './activecampaign-schemas.js';
import { OffsetWalk, PAGE_OVERLAP } from './activecampaign-walk.js';

/** One stored custom value, whichever endpoint answered it. */
export interface StoredValue {
  readonly id: string;
  readonly owner: string;
  readonly field: string;
  readonly value: unknown;
}

/** Where an object's custom field definitions and values live (contacts, accounts and deals differ). */
export interface CustomFieldEndpoints {
  readonly object: 'contacts' | 'accounts' | 'deals';
  definitions(
    client: ActiveCampaignClient,
    offset: number,
    signal?: AbortSignal,
  ): Promise<Page<CustomFieldDef>>;
  /** One owner's values: one request. */
  ownerValues(
    client: ActiveCampaignClient,
    owner: string,
    signal?: AbortSignal,
  ): Promise<readonly StoredValue[]>;
  /** One page of every owner's values. */
  allValues(client: ActiveCampaignClient, offset: number, signal?: AbortSignal): Promise<Page<StoredValue>>;
}

const page = { limit: PAGE_LIMIT } as const;

/** Contacts: `GET /fields`, `GET /contacts/{id}/fieldValues`, `GET /fieldValues`. */
export const CONTACT_FIELDS: CustomFieldEndpoints = {
  object: 'contacts',
  async definitions(client, offset, signal) {
    const p = await client.page('fields', 'fields', FieldSchema, { ...page, offset }, signal);
    return {
      total: p.total,
      items: p.items.map((f) => ({
        id: f.id,
        label: f.title,
        type: f.type ?? 'text',
        // Writes name a contact field by its perstag (activecampaign-crm-field.ts): conflict detection
        // finds the field's column through it.
        writeName: contactFieldName(f),
      })),
    };
  },
  async ownerValues(client, owner, signal) {
    const body = await client.get(
      `contacts/${owner}/fieldValues`,
      'contacts/{id}/fieldValues',
      ContactFieldValuesSchema,
      {},
      signal,
    );
    return body.fieldValues.map((v) => ({ id: v.id, owner: v.contact, field: v.field, value: v.value }));
  },
  async allValues(client, offset, signal) {
    const p = await client.page('fieldValues', 'fieldValues', FieldValueSchema, { ...page, offset }, signal);
    return {
      total: p.total,
      items: p.items.map((v) => ({ id: v.id, owner: v.contact, field: v.field, value: v.value })),
    };
  },
};

function customObject(object: 'accounts' | 'deals'): CustomFieldEndpoints {
  const meta = object === 'accounts' ? 'accountCustomFieldMeta' : 'dealCustomFieldMeta';
  const data = object === 'accounts' ? 'accountCustomFieldData' : 'dealCustomFieldData';
  const ownerFilter = object === 'accounts' ? 'filters[customerAccountId]' : 'filters[dealId]';
  const toStored = (d: {
    id: string;
    customFieldId: string;
    accountId: string | null;
    dealId: string | null;
    fieldValue?: unknown;
  }) => ({
    id: d.id,
    owner: (object === 'accounts' ? d.accountId : d.dealId) ?? '',
    field: d.customFieldId,
    value: d.fieldValue,
  });
  return {
    object,
    async definitions(client, offset, signal) {
      const p = await client.page(meta, meta, CustomMetaSchema, { ...page, offset }, signal);
      return {
        total: p.total,
        items: p.items.map((m) => ({ id: m.id, label: m.fieldLabel, type: m.fieldType ?? 'text' })),
      };
    },
    async ownerValues(client, owner, signal) {
      const p = await client.page(data, data, CustomDatumSchema, { ...page, [ownerFilter]: owner }, signal);
      return p.items.map(toStored);
    },
    async allValues(client, offset, signal) {
      const p = await client.page(data, data, CustomDatumSchema, { ...page, offset }, signal);
      return { total: p.total, items: p.items.map(toStored) };
    },
  };
}

export const ACCOUNT_FIELDS = customObject('accounts');
export const DEAL_FIELDS = customObject('deals');

/**
 * An object's custom fields for one Source: the definitions (read once, and again when a value names
 * a field the map does not know: a field added mid-stream) and the column map built from them.
 */
export class CustomFields {
  readonly #client: ActiveCampaignClient;
  readonly endpoints: CustomFieldEndpoints;
  #map: Promise<CustomFieldMap> | null = null;

  constructor(client: ActiveCampaignClient, endpoints: CustomFieldEndpoints) {
    this.#client = client;
    this.endpoints = endpoints;
  }

  map(signal?: AbortSignal): Promise<CustomFieldMap> {
    this.#map ??= this.#load(signal);
    this.#map.catch(() => {
      this.#map = null;
    });
    return this.#map;
  }

  /** Reads the definitions again (a value named a field the map does not know). */
  refresh(signal?: AbortSignal): Promise<CustomFieldMap> {
    this.#map = null;
    return this.map(signal);
  }

  async #load(signal?: AbortSignal): Promise<CustomFieldMap> {
    const walk = new OffsetWalk(`${this.endpoints.object} custom fields`, (offset) =>
      this.endpoints.definitions(this.#client, offset, signal),
    );
    const defs: CustomFieldDef[] = [];
    for await (const items of walk.pages()) defs.push(...items);
    return customFieldMap(defs, STANDARD_COLUMNS[this.endpoints.object]);
  }

  /** A fetcher of values for the records of one read (see ValueFetch). */
  fetch(signal?: AbortSignal): ValueFetch {
    return new ValueFetch(this.#client, this.endpoints, signal);
  }
}

/** Values by owner id, then by field id. */
export type ValuesByOwner = ReadonlyMap<string, ReadonlyMap<string, unknown>>;

/**
 * Custom values for the records one read emits, by the cheaper of two paths (ActiveCampaign has no
 * "values changed since" filter): one request per record (`/contacts/{id}/fieldValues`), or one scan
 * of every value (`/fieldValues`, 100 a page) kept in memory. `prepare` sees the first page of the
 * scan, so it knows how many pages a scan costs, and picks the scan when the read expects more
 * records than that.
 */
export class ValueFetch {
  readonly #client: ActiveCampaignClient;
  readonly #endpoints: CustomFieldEndpoints;
  readonly #signal: AbortSignal | undefined;
  #scanned: Map<string, Map<string, unknown>> | null = null;
  #prepared: Promise<void> | null = null;

  constructor(client: ActiveCampaignClient, endpoints: CustomFieldEndpoints, signal?: AbortSignal) {
    this.#client = client;
    this.#endpoints = endpoints;
    this.#signal = signal;
  }

  /** Decides the path for about `expected` records (Infinity: every record, scan). */
  prepare(expected: number): Promise<void> {
    this.#prepared ??= this.#decide(expected);
    return this.#prepared;
  }

  /** The scan was chosen: how values were read, for logs and tests. */
  get scanned(): boolean {
    return this.#scanned !== null;
  }

  async forOwners(owners: readonly string[]): Promise<ValuesByOwner> {
    await this.prepare(owners.length);
    const out = new Map<string, ReadonlyMap<string, unknown>>();
    if (this.#scanned !== null) {
      for (const owner of owners) out.set(owner, this.#scanned.get(owner) ?? new Map());
      return out;
    }
    for (const owner of owners) {
      const values = await this.#endpoints.ownerValues(this.#client, owner, this.#signal);
      out.set(owner, new Map(values.map((v) => [v.field, v.value])));
    }
    return out;
  }

  async #decide(expected: number): Promise<void> {
    // One record costs one request either way: no need to learn what a scan would cost.
    if (expected <= 1) return;
    const first = await this.#endpoints.allValues(this.#client, 0, this.#signal);
    const scanPages = Math.ceil((first.total ?? first.items.length) / (PAGE_LIMIT - PAGE_OVERLAP));
    if (expected <= scanPages) return;
    for (let attempt = 0; ; attempt++) {
      // The page that priced the scan starts the first walk (once: an empty one is asked again).
      let reuse = attempt === 0 && first.items.length > 0;
      const walk = new OffsetWalk(`${this.#endpoints.object} custom values`, (offset) => {
        if (offset === 0 && reuse) {
          reuse = false;
          return Promise.resolve(first);
        }
        return this.#endpoints.allValues(this.#client, offset, this.#signal);
      });
      const scanned = new Map<string, Map<string, unknown>>();
      for await (const items of walk.pages()) {
        for (const v of items) {
          let values = scanned.get(v.owner);
          if (values === undefined) {
            values = new Map();
            scanned.set(v.owner, values);
          }
          values.set(v.field, v.value);
        }
      }
      if (walk.complete) {
        this.#scanned = scanned;
        return;
      }
      if (attempt >= 1) {
        throw new TideError(
          'source_error',
          `ActiveCampaign ${this.#endpoints.object} custom values changed too fast to scan twice in a row`,
          { hint: 'rerun the extract; nothing was loaded from this read' },
        );
      }
    }
  }
}
