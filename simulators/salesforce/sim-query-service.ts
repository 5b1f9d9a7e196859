import type { SimClock } from '../kit/sim-clock.js';
import type { SimResponse } from '../kit/sim-types.js';
import { mintId } from './salesforce-ids.js';
import type { SalesforceSimSettings } from './salesforce-settings.js';
import type { SalesforceStore } from './salesforce-store.js';
import { sfError } from './sim-errors.js';
import { restRecord } from './sobject-format.js';
import { type PreparedQuery, prepareQuery, runQuery } from './soql-executor.js';

interface OpenCursor {
  readonly prepared: PreparedQuery;
  readonly seqs: Int32Array;
  lastUsedMs: number;
}

const MAX_BATCH = 2000;
const MIN_BATCH = 200;
const MAX_OPEN_CURSORS = 500;

/**
 * `GET /query?q=`, `GET /queryAll?q=` and their continuation `GET /query/{locator}`. The first request
 * runs the query once and keeps its ids (a cursor, as Salesforce's query locator does); each page
 * then materializes only its own records. A locator is `<cursorId>-<offset>`: jsforce keeps only the
 * last path segment of nextRecordsUrl and appends it to `/query/`, so that is all the URL carries.
 */
export class SimQueryService {
  readonly #store: SalesforceStore;
  readonly #clock: SimClock;
  readonly #settings: () => Pick<SalesforceSimSettings, 'queryLocatorTtlMs' | 'queryPageMax'>;
  readonly #cursors = new Map<string, OpenCursor>();
  #next = 1;

  constructor(
    store: SalesforceStore,
    clock: SimClock,
    settings: () => Pick<SalesforceSimSettings, 'queryLocatorTtlMs' | 'queryPageMax'>,
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#settings = settings;
  }

  query(soql: string | null, all: boolean, version: string, optionsHeader: string | undefined): SimResponse {
    if (soql === null || soql.trim() === '')
      return sfError(400, 'MALFORMED_QUERY', 'q parameter is required');
    const prepared = prepareQuery(this.#store, soql);
    const seqs = runQuery(prepared, all);
    if (prepared.count) return { status: 200, json: { totalSize: seqs.length, done: true, records: [] } };
    const id = mintId('01g', this.#next++);
    this.#evictIdle();
    this.#cursors.set(id, { prepared, seqs, lastUsedMs: this.#clock.now() });
    return this.#page(id, 0, version, optionsHeader);
  }

  more(locator: string, version: string, optionsHeader: string | undefined): SimResponse {
    const match = /^([0-9A-Za-z]{18})-(\d+)$/.exec(locator);
    const cursor = match ? this.#cursors.get(match[1]!) : undefined;
    if (!match || !cursor || this.#clock.now() - cursor.lastUsedMs > this.#settings().queryLocatorTtlMs) {
      return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    cursor.lastUsedMs = this.#clock.now();
    return this.#page(match[1]!, Number(match[2]), version, optionsHeader);
  }

  #page(id: string, offset: number, version: string, optionsHeader: string | undefined): SimResponse {
    const cursor = this.#cursors.get(id)!;
    const { prepared, seqs } = cursor;
    const pageSize = Math.min(batchSize(optionsHeader), this.#settings().queryPageMax);
    const end = Math.min(seqs.length, offset + pageSize);
    const records: unknown[] = [];
    for (let i = offset; i < end; i++) {
      // A record purged from the recycle bin since the query ran is gone, as in Salesforce.
      if (!prepared.table.exists(seqs[i]!)) continue;
      records.push(restRecord(prepared.table, seqs[i]!, prepared.fields, version));
    }
    const done = end >= seqs.length;
    if (done) this.#cursors.delete(id);
    return {
      status: 200,
      json: {
        totalSize: seqs.length,
        done,
        ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${id}-${end}` }),
        records,
      },
    };
  }

  #evictIdle(): void {
    const now = this.#clock.now();
    for (const [id, c] of this.#cursors)
      if (now - c.lastUsedMs > this.#settings().queryLocatorTtlMs) this.#cursors.delete(id);
    while (this.#cursors.size >= MAX_OPEN_CURSORS) {
      const oldest = this.#cursors.keys().next().value;
      if (oldest === undefined) break;
      this.#cursors.delete(oldest);
    }
  }
}

/** `Sforce-Query-Options: batchSize=N`: 200 to 2,000, default 2,000. */
function batchSize(header: string | undefined): number {
  const match = /batchSize\s*=\s*(\d+)/i.exec(header ?? '');
  if (!match) return MAX_BATCH;
  return Math.min(MAX_BATCH, Math.max(MIN_BATCH, Number(match[1])));
}
