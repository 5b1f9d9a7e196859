import type { ColumnSpec } from '../../core/column-spec.js';
import { cursorMs } from '../../core/cursor-state.js';
import type { RecordBatch, SourceRecord } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { CursorTracker, lowerBound } from '../../extract/cursor.js';
import { deletesChecked } from '../../extract/deletes-checked.js';
import { mergeAsOfArrival, prefetch } from '../../extract/prefetch.js';
import { archivedSweepFrom } from './hubspot-archived-sweep.js';
import { fitsQuery, type HubspotClient } from './hubspot-client.js';
import { EXPORT_OBJECT_NAMES, type HubspotExportClient } from './hubspot-export-client.js';
import { DEFAULT_POLLING, exportedPages } from './hubspot-export-read.js';
import { hubspotColumns } from './hubspot-field-catalog.js';
import { listChains } from './hubspot-list-chains.js';
import { hubspotTime, lastModifiedProperty, toSourceRecord } from './hubspot-record.js';
import type { HubspotObject } from './hubspot-schemas.js';
import { walkSearch } from './hubspot-search-walker.js';

export interface AssociationSpec {
  readonly toType: string;
  /** Field the associated ids land in (a JSON array). */
  readonly field: string;
}

export interface HubspotObjectStreamOptions {
  readonly name: string;
  readonly objectType: string;
  readonly overlapMs: number;
  readonly associations?: readonly AssociationSpec[];
  /** Only ids and last-modified (streams that exist for their associations). */
  readonly cursorOnly?: boolean;
  /** The account's sustained request rate (burst limit ÷ 10 s): sizes parallel list chains. */
  readonly requestsPerSecond?: number;
  /** How often incremental runs list archived records (hubspot-archived-sweep.ts); default every run. */
  readonly archivedSweepEveryHours?: number | null;
  /** First loads of more live records than this go through a CRM export (null: never). */
  readonly exportAbove?: number | null;
  readonly exportPolling?: {
    readonly pollMs: number;
    readonly maxPollMs: number;
    readonly timeoutMs: number;
  };
}

type Emit = (objects: readonly HubspotObject[], minMs: number | null) => Promise<SourceRecord[]>;

/**
 * One HubSpot object type. First run and full refresh page through the list API (search is limited
 * to 5 requests/s and 10,000 results per query); later runs search by last-modified from the cursor
 * minus the overlap. Archived records come from `archived=true` lists (every run by default, else on
 * the configured cadence), since search never returns them; the reads that list them (first loads,
 * full refreshes, sweeps) say the deletes were checked up to the read's start.
 */
export class HubspotObjectStream implements Stream {
  readonly name: string;
  readonly cursorField: string;
  readonly #client: HubspotClient;
  readonly #options: HubspotObjectStreamOptions;
  #columns: Promise<ColumnSpec[]> | null = null;

  constructor(client: HubspotClient, options: HubspotObjectStreamOptions) {
    this.#client = client;
    this.#options = options;
    this.name = options.name;
    this.cursorField = lastModifiedProperty(options.objectType);
  }

  columns(): Promise<readonly ColumnSpec[]> {
    this.#columns ??= this.#discover();
    return this.#columns;
  }

  async #discover(): Promise<ColumnSpec[]> {
    const associationColumns: ColumnSpec[] = (this.#options.associations ?? []).map((a) => ({
      name: a.field,
      type: 'json',
    }));
    if (this.#options.cursorOnly) {
      return [
        { name: this.cursorField, type: 'timestamp' },
        { name: 'hs_object_id', type: 'string' },
        ...associationColumns,
      ];
    }
    return [
      ...hubspotColumns(await this.#client.properties(this.#options.objectType)),
      { name: 'archivedAt', type: 'timestamp' },
      ...associationColumns,
    ];
  }

  async #propertyNames(): Promise<string[]> {
    const columns = await this.columns();
    const own = new Set((this.#options.associations ?? []).map((a) => a.field));
    return columns.filter((c) => !own.has(c.name) && c.name !== 'archivedAt').map((c) => c.name);
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const previous = ctx.fullRefresh ? null : ctx.cursor;
    const properties = await this.#propertyNames();
    // The cursor never passes the read's start: on HubSpot's clock (its Date header) when that is
    // ahead of ours, so a CRM clock ahead of the machine's does not hold every cursor back. The header
    // has whole seconds, so it alone would hold back changes of the current second; the run's start
    // covers those, and is what the cap was before the header was heard.
    const readStart = this.#client.http.notBefore(ctx.runStartedAt);
    let tracker = new CursorTracker(previous, readStart);
    // Portals with hundreds of custom properties overflow a GET request line (HTTP 414): then pages
    // carry only ids and the properties come from batch/read, whose POST body has no such limit.
    const inline = fitsQuery(properties);
    const pageProperties = inline ? properties : [this.cursorField, 'hs_object_id'];

    // `exported`: an export's rows hold every property already (no batch read, whatever their number).
    const emitAny = async (
      objects: readonly HubspotObject[],
      minMs: number | null,
      exported: boolean,
    ): Promise<SourceRecord[]> => {
      const full =
        exported || inline || this.#options.cursorOnly
          ? objects
          : await this.#complete(objects, properties, ctx.signal);
      const extra = await this.#associate(full, ctx.signal);
      const out: SourceRecord[] = [];
      for (const object of full) {
        const record = toSourceRecord(object, this.cursorField, extra.get(object.id));
        if (minMs !== null && cursorMs(record.updatedAt) < minMs) continue;
        if (tracker.observe(record)) out.push(record);
      }
      ctx.progress.page(this.name, out.length);
      return out;
    };
    const emit: Emit = (objects, minMs) => emitAny(objects, minMs, false);

    if (previous === null) {
      // Every archived record was listed (with the live ones, or beside the export), after the read began.
      const checkedAll = deletesChecked(readStart);
      // The list API is unordered by last-modified, so nothing is safe to checkpoint until it ends;
      // live and archived records are listed at once, each list by parallel id-range chains.
      const startMs = ctx.startDate === null ? null : cursorMs(ctx.startDate);
      const extent = await this.#client.extent(this.#options.objectType, ctx.signal);
      let listed = [false, true];
      const exports = this.#exportsFor(extent.total);
      if (exports !== null) {
        // The export's cursor never passes the CRM's clock when the export was asked for (records
        // changed since may or may not be in the file; the next run's search reads them again).
        const outcome = yield* this.#byExport(exports, ctx, properties, (capMs) => {
          tracker = new CursorTracker(null, new Date(capMs));
          return {
            emit: (objects, minMs) => emitAny(objects, minMs, true),
            archived: this.#chains(pageProperties, true, extent, ctx.signal, (page) => emit(page, startMs)),
          };
        });
        if (outcome === 'done') {
          yield { records: [], checkpoint: tracker.state(), ...checkedAll };
          return;
        }
        // Archived records were listed already when the export failed after it started.
        if (outcome === 'failed') listed = [false];
      }
      const lists = listed.map((archived) =>
        this.#chains(pageProperties, archived, extent, ctx.signal, (page) => emit(page, startMs)),
      );
      for await (const records of mergeAsOfArrival(lists, { limit: 2 })) {
        yield { records, checkpoint: null };
      }
      yield { records: [], checkpoint: tracker.state(), ...checkedAll };
      return;
    }

    const from = lowerBound(previous, { overlapMs: this.#options.overlapMs, startDate: ctx.startDate });
    const fromMs = from?.getTime() ?? null;
    ctx.log.debug(`hubspot.${this.name}: searching from ${from?.toISOString() ?? 'the beginning'}`);
    for await (const page of prefetch(
      walkSearch(this.#client, {
        objectType: this.#options.objectType,
        cursorProperty: this.cursorField,
        fromMs,
        properties: pageProperties,
        signal: ctx.signal,
        onTotal: (total) => ctx.progress.total?.(this.name, total),
      }),
    )) {
      // Sorted ascending: everything up to the tracker's state is read, so each page is a checkpoint.
      yield { records: await emit(page, null), checkpoint: tracker.state() };
    }
    // Deletes: archived records are only listed, never searched, on the configured cadence. Only those
    // archived since the sweep's bound are new; older ones were recorded by an earlier run.
    const sweepFromMs = archivedSweepFrom(this.#options.archivedSweepEveryHours ?? 0, previous, {
      nowMs: readStart.getTime(),
      lowerBoundMs: fromMs ?? 0,
      overlapMs: this.#options.overlapMs,
    });
    if (sweepFromMs === null) {
      ctx.log.debug(`hubspot.${this.name}: archived records not listed this run (archivedSweepEveryHours)`);
      yield { records: [], checkpoint: tracker.state() };
      return;
    }
    // One chain: a sweep that finds little should cost no more calls than the list has pages.
    const archivedPages = this.#chains(pageProperties, true, { highestId: null }, ctx.signal, async (page) =>
      page.filter((o) => (hubspotTime(o.archivedAt) ?? Number.POSITIVE_INFINITY) >= sweepFromMs),
    );
    for await (const recent of archivedPages) {
      // Emitted here, not in the chains: the tracker's checkpoint must cover what was yielded.
      if (recent.length > 0) yield { records: await emit(recent, null), checkpoint: tracker.state() };
    }
    // The sweep listed every record archived since its bound, up to the read's start at least.
    yield { records: [], checkpoint: tracker.state(), ...deletesChecked(readStart) };
  }

  /** The exports client when this first load should go through an export, else null. */
  #exportsFor(liveRecords: number): HubspotExportClient | null {
    const above = this.#options.exportAbove ?? null;
    const wanted =
      above !== null &&
      liveRecords > above &&
      this.#options.cursorOnly !== true &&
      EXPORT_OBJECT_NAMES[this.#options.objectType] !== undefined;
    return wanted ? this.#client.exports : null;
  }

  /**
   * A first load through a CRM export (hubspot-export-read.ts): 'refused' before anything was read,
   * 'failed' after the archived records were read but before any live one (the caller lists the live
   * records), 'done' when every record was read. A failure after live records were yielded is the
   * run's error: the cursor has not moved, the next run starts over.
   */
  async *#byExport(
    exports: HubspotExportClient,
    ctx: ReadContext,
    properties: readonly string[],
    begin: (capMs: number) => { readonly emit: Emit; readonly archived: AsyncGenerator<SourceRecord[]> },
  ): AsyncGenerator<RecordBatch, 'done' | 'refused' | 'failed'> {
    const sentAt = Date.now();
    const started = await exports.start(
      this.#options.objectType,
      properties,
      `tide ${this.name} ${ctx.runStartedAt.toISOString()}`,
      ctx.signal,
    );
    if (started.kind === 'refused') {
      ctx.log.info(
        `hubspot.${this.name}: export refused (${started.reason}); reading through the list API instead`,
      );
      return 'refused';
    }
    // The CRM's clock as it answered (its Date header, whole seconds, so never late): records changed
    // after it may be missing from the file, and the next run's search reads them from here on.
    const capMs = this.#client.http.serverNow()?.getTime() ?? sentAt;
    const { emit, archived } = begin(capMs);
    ctx.log.info(`hubspot.${this.name}: first load through export ${started.taskId}`);
    // Exports hold live records only; the archived ones are listed while HubSpot builds the file.
    for await (const records of archived) if (records.length > 0) yield { records, checkpoint: null };
    let yielded = false;
    try {
      const startMs = ctx.startDate === null ? null : cursorMs(ctx.startDate);
      for await (const page of exportedPages(exports, started.taskId, {
        objectType: this.#options.objectType,
        properties,
        columns: await this.columns(),
        polling: { ...(this.#options.exportPolling ?? DEFAULT_POLLING), signal: ctx.signal },
      })) {
        const records = await emit(page, startMs);
        yielded = true;
        yield { records, checkpoint: null };
      }
    } catch (error) {
      if (yielded || ctx.signal.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      ctx.log.warn(
        `hubspot.${this.name}: export ${started.taskId} failed (${reason}); reading through the list API instead`,
      );
      return 'failed';
    }
    return 'done';
  }

  #chains<T>(
    properties: readonly string[],
    archived: boolean,
    extent: { readonly highestId: number | null; readonly total?: number },
    signal: AbortSignal,
    transform: (page: readonly HubspotObject[]) => Promise<T>,
  ): AsyncGenerator<T> {
    return listChains(
      this.#client,
      {
        objectType: this.#options.objectType,
        properties,
        archived,
        signal,
        requestsPerSecond: this.#options.requestsPerSecond ?? 19,
        highestId: extent.highestId,
        // The live total sizes the ranges of the live list; archived lists are usually short.
        expectedRecords: archived ? 0 : (extent.total ?? Number.POSITIVE_INFINITY),
      },
      transform,
    );
  }

  async #complete(
    objects: readonly HubspotObject[],
    properties: readonly string[],
    signal: AbortSignal,
  ): Promise<HubspotObject[]> {
    const byId = new Map<string, HubspotObject>();
    const live = objects.filter((o) => o.archived !== true);
    for (let i = 0; i < live.length; i += 100) {
      const ids = live.slice(i, i + 100).map((o) => o.id);
      for (const full of await this.#client.batchRead(this.#options.objectType, ids, properties, signal))
        byId.set(full.id, full);
    }
    // A record deleted between the page and the batch read keeps its page version.
    return objects.map((o) => {
      const full = byId.get(o.id);
      return full
        ? { ...full, properties: { ...full.properties, ...o.properties }, archived: o.archived ?? false }
        : o;
    });
  }

  async #associate(
    objects: readonly HubspotObject[],
    signal: AbortSignal,
  ): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>();
    const specs = this.#options.associations ?? [];
    if (specs.length === 0) return out;
    const ids = objects.filter((o) => o.archived !== true).map((o) => o.id);
    for (const spec of specs) {
      const links = await this.#client.associations(this.#options.objectType, spec.toType, ids, signal);
      for (const id of ids) {
        const row = out.get(id) ?? {};
        row[spec.field] = links.get(id) ?? [];
        out.set(id, row);
      }
    }
    return out;
  }
}
