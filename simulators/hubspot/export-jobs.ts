import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SimResponse } from '../kit/sim-types.js';
import { exportFile } from './export-file.js';
import { type ExportSpec, parseExportRequest } from './export-request.js';
import { compileFilter, type SlotPredicate, SlotReader } from './filter-predicate.js';
import { hubspotError } from './hubspot-errors.js';
import type { HubspotStore } from './hubspot-store.js';
import type { PropertyValues } from './object-table.js';

export const ExportSettingsSchema = z
  .object({
    /** Exports accepted per rolling 24 h (HubSpot: 30). */
    perDay: z.number().int().nonnegative(),
    /** Time from PROCESSING to COMPLETE, plus `msPerThousandRows` per 1,000 rows (simulator's clock). */
    jobMs: z.number().int().nonnegative(),
    msPerThousandRows: z.number().nonnegative(),
    /** Rows per CSV file in a ZIP (HubSpot: 1,000,000). */
    rowsPerFile: z.number().int().positive(),
    /** A single CSV past this many bytes is zipped (HubSpot: 2 MB). */
    zipAboveBytes: z.number().int().nonnegative(),
    /** How long a download URL works after the status request that issued it (HubSpot: 5 minutes). */
    urlTtlMs: z.number().int().nonnegative(),
    /** False: the token lacks `crm.export` (403 MISSING_SCOPES on both endpoints). */
    scopeGranted: z.boolean(),
    /** The next N exports end CANCELED (as when a Super Admin cancels one in the export log). */
    cancelNext: z.number().int().nonnegative(),
  })
  .strict();
export type ExportSettings = z.output<typeof ExportSettingsSchema>;

export const DEFAULT_EXPORT_SETTINGS: ExportSettings = {
  perDay: 30,
  jobMs: 1_000,
  msPerThousandRows: 5,
  rowsPerFile: 1_000_000,
  zipAboveBytes: 2 * 1024 * 1024,
  urlTtlMs: 5 * 60_000,
  scopeGranted: true,
  cancelNext: 0,
};

const DAY_MS = 86_400_000;
export const EXPORT_FILES_PATH = '/hubspot-export-files/';

interface Job {
  readonly id: string;
  readonly spec: ExportSpec;
  readonly requestedMs: number;
  /** One export runs at a time: a job starts when the one before it has ended. */
  readonly startMs: number;
  readonly endMs: number;
  readonly canceled: boolean;
  /** The records the export holds, in id order, fixed when it was requested. */
  readonly slots: Int32Array;
  /** Each change to a record after the request: when, and the values it replaced (copy on write). */
  readonly changes: Map<number, { readonly ms: number; readonly values: PropertyValues }[]>;
  /** Download keys → when they stop working. */
  readonly urls: Map<string, number>;
}

/**
 * HubSpot's CRM exports: `POST /crm/v3/exports/export/async` → 202 `{id}`, `GET
 * .../tasks/{id}/status` → PENDING (queued behind the running export) → PROCESSING → COMPLETE with a
 * `result` URL (or CANCELED), and that URL's file, which needs no token. An export holds the records
 * live when it was requested, each as it was when the export read it (see #versionRead; later changes
 * are copied aside before they happen).
 */
export class HubspotExports {
  readonly settings: ExportSettings = { ...DEFAULT_EXPORT_SETTINGS };
  readonly #store: HubspotStore;
  readonly #jobs = new Map<string, Job>();
  #nextId = 475_549_724_000;

  constructor(store: HubspotStore) {
    this.#store = store;
  }

  start(rawBody: string): SimResponse {
    if (!this.settings.scopeGranted) return missingScope();
    const now = this.#store.clock.now();
    const recent = [...this.#jobs.values()].filter((j) => j.requestedMs > now - DAY_MS).length;
    if (recent >= this.settings.perDay) {
      // INFERENCE: the guide states the limit but not its answer; a 429 of HubSpot's error shape.
      return hubspotError(
        429,
        'RATE_LIMITS',
        `You have reached the limit of ${this.settings.perDay} exports within a rolling 24 hour window. Try again later.`,
        { errorType: 'RATE_LIMIT' },
      );
    }
    const spec = parseExportRequest(rawBody, this.#store.catalog);
    if ('status' in spec) return spec;
    const slots = this.#matching(spec);
    const lastEnd = Math.max(0, ...[...this.#jobs.values()].map((j) => j.endMs));
    const startMs = Math.max(now, lastEnd);
    const endMs =
      startMs + this.settings.jobMs + Math.round((slots.length / 1000) * this.settings.msPerThousandRows);
    const changes: Job['changes'] = new Map();
    this.#store.onBeforeChange((type, slot) => {
      if (type !== spec.type) return;
      const list = changes.get(slot) ?? [];
      // Once the export has ended, the first later change keeps the version it read; no more needed.
      if ((list.at(-1)?.ms ?? 0) > endMs) return;
      list.push({ ms: this.#store.clock.now(), values: this.#store.properties(type, slot) });
      changes.set(slot, list);
    });
    const id = String(this.#nextId++);
    const canceled = this.settings.cancelNext > 0;
    if (canceled) this.settings.cancelNext--;
    this.#jobs.set(id, {
      id,
      spec,
      requestedMs: now,
      startMs,
      endMs,
      canceled,
      slots,
      changes,
      urls: new Map(),
    });
    return { status: 202, json: { id, links: {} } };
  }

  status(taskId: string, baseUrl: string): SimResponse {
    if (!this.settings.scopeGranted) return missingScope();
    const job = this.#jobs.get(taskId);
    if (job === undefined) {
      // INFERENCE: a task id of another portal or none at all.
      return hubspotError(404, 'OBJECT_NOT_FOUND', `No export task ${taskId} in this portal.`);
    }
    const now = this.#store.clock.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const state =
      now < job.startMs ? 'PENDING' : now < job.endMs ? 'PROCESSING' : job.canceled ? 'CANCELED' : 'COMPLETE';
    let result: string | undefined;
    if (state === 'COMPLETE') {
      const key = randomBytes(12).toString('hex');
      job.urls.set(key, now + this.settings.urlTtlMs);
      result = `${baseUrl}${EXPORT_FILES_PATH}${job.id}/${key}`;
    }
    return {
      status: 200,
      json: {
        status: state,
        requestedAt: iso(job.requestedMs),
        ...(now >= job.startMs ? { startedAt: iso(job.startMs) } : {}),
        ...(now >= job.endMs ? { completedAt: iso(job.endMs) } : {}),
        ...(result === undefined ? {} : { result }),
        numErrors: 0,
        links: {},
      },
    };
  }

  /** `GET /hubspot-export-files/{taskId}/{key}`: the URL a COMPLETE status handed out, while it lasts. */
  download(path: string): SimResponse {
    const [taskId, key] = path.slice(EXPORT_FILES_PATH.length).split('/');
    const job = this.#jobs.get(taskId ?? '');
    const expires = key === undefined ? undefined : job?.urls.get(key);
    if (job === undefined || expires === undefined || expires <= this.#store.clock.now()) {
      // INFERENCE: the file store's answer to an expired signed URL (S3-like, not HubSpot's JSON).
      return {
        status: 403,
        headers: { 'content-type': 'application/xml' },
        text: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
      };
    }
    const { spec, slots } = job;
    const store = this.#store;
    const defs = spec.properties.map((name) => store.catalog.get(spec.type, name));
    const file = exportFile({
      name: spec.name.replace(/[^A-Za-z0-9_-]+/g, '-'),
      header: spec.properties.map((name, k) => (spec.internalNames ? name : (defs[k]?.label ?? name))),
      defs,
      internalValues: spec.internalValues,
      rows: slots.length,
      valuesAt: (i) => this.#versionRead(job, i),
      rowsPerFile: this.settings.rowsPerFile,
      zipAboveBytes: this.settings.zipAboveBytes,
    });
    return {
      status: 200,
      headers: {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${file.fileName}"`,
      },
      stream: file.body,
    };
  }

  /**
   * The version of row `i` the export read. INFERENCE: an export is not a snapshot of one instant; it
   * reads its records in id order while PROCESSING, row `i` of `n` at `startMs + (endMs − startMs)·i/n`.
   * A record changed before its row was read comes with the change, one changed later without it: the
   * file can hold changes made after the request next to records missing earlier ones, which is why
   * Tide's cursor stops at the request.
   */
  #versionRead(job: Job, i: number): PropertyValues {
    const slot = job.slots[i]!;
    const readMs = job.startMs + ((job.endMs - job.startMs) * i) / Math.max(1, job.slots.length);
    const later = job.changes.get(slot)?.find((c) => c.ms > readMs);
    return later?.values ?? this.#store.properties(job.spec.type, slot);
  }

  /** Live records (archived ones are not in an index view, so not in its export) matching the filters. */
  #matching(spec: ExportSpec): Int32Array {
    const table = this.#store.table(spec.type);
    const reader = new SlotReader(this.#store, spec.type);
    const groups: SlotPredicate[][] = spec.groups.map((filters) =>
      filters.flatMap((f) => {
        const p = compileFilter(f, this.#store.catalog.get(spec.type, f.propertyName)!, reader);
        return typeof p === 'string' ? [] : [p];
      }),
    );
    const out: number[] = [];
    for (let pos = 0; pos < table.size; pos++) {
      const slot = table.slotAtIdPosition(pos);
      if (table.isArchived(slot) || table.isMerged(slot)) continue;
      if (groups.length > 0 && !groups.some((g) => g.every((p) => p(slot)))) continue;
      out.push(slot);
    }
    return Int32Array.from(out);
  }
}

/** HubSpot's answer to a token without the scope an endpoint needs. */
function missingScope(): SimResponse {
  return hubspotError(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: ['crm.export'] },
        },
      ],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}
