import { TideError } from '../../core/tide-error.js';
import { sleep } from '../../http/backoff.js';
import type { HttpClient } from '../../http/http-client.js';
import { parseJson } from '../../http/parse-json.js';
import { jsonOrEmpty, numberHeader } from '../../http/vendor-policy.js';
import { HubspotErrorSchema, HubspotExportStatusSchema, HubspotExportTaskSchema } from './hubspot-schemas.js';

/** The exports API names standard objects in the singular (`CONTACT`); Tide's streams use the plural. */
export const EXPORT_OBJECT_NAMES: Readonly<Record<string, string>> = {
  contacts: 'CONTACT',
  companies: 'COMPANY',
  deals: 'DEAL',
};

export type ExportStart =
  | { readonly kind: 'started'; readonly taskId: string }
  | { readonly kind: 'refused'; readonly reason: string };

export interface ExportPolling {
  /** First wait before asking for the status; it grows by half each time up to `maxPollMs`. */
  readonly pollMs: number;
  readonly maxPollMs: number;
  /** Gives up (the caller falls back to the list API) when the export is not COMPLETE by then. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

export interface ExportDone {
  readonly url: string;
}

/** HubSpot's answers to a start that are refusals (limit, scope, request), not faults to retry. */
const REFUSALS = [400, 403, 404, 409, 423, 429];
/** 429s of the account's request limits (not of the export limit): wait and ask again. */
const BURST_POLICIES = new Set(['TEN_SECONDLY_ROLLING', 'SECONDLY']);
const FAILED_STATES = new Set(['CANCELED', 'FAILED', 'CONFLICT', 'DELETED']);

/**
 * The CRM exports API (simulators/hubspot/README.md, "Protocol facts: CRM exports"): start a VIEW
 * export of every record to CSV with internal names and values, poll its task until COMPLETE, and
 * stream its file. The file's URL is signed and may be on another host: it is fetched by `files`, a
 * client that sends no token.
 */
export class HubspotExportClient {
  readonly #api: HttpClient;
  readonly #files: HttpClient;

  constructor(api: HttpClient, files: HttpClient) {
    this.#api = api;
    this.#files = files;
  }

  async start(
    objectType: string,
    properties: readonly string[],
    exportName: string,
    signal: AbortSignal,
  ): Promise<ExportStart> {
    const objectName = EXPORT_OBJECT_NAMES[objectType];
    if (objectName === undefined) return { kind: 'refused', reason: `no export for ${objectType}` };
    for (let attempt = 0; ; attempt++) {
      const res = await this.#api.request({
        method: 'POST',
        path: '/crm/v3/exports/export/async',
        json: {
          exportType: 'VIEW',
          format: 'CSV',
          exportName,
          objectType: objectName,
          objectProperties: properties,
          language: 'EN',
          // Internal names as headers and internal values: the values the list API returns.
          exportInternalValuesOptions: ['NAMES', 'VALUES'],
        },
        acceptStatuses: REFUSALS,
        signal,
      });
      if (res.status < 300) {
        return {
          kind: 'started',
          taskId: parseJson(res.text, HubspotExportTaskSchema, 'HubSpot export start').id,
        };
      }
      const body = HubspotErrorSchema.safeParse(jsonOrEmpty(res.text));
      const error = body.success ? body.data : {};
      if (res.status === 429 && BURST_POLICIES.has(error.policyName ?? '') && attempt < 5) {
        await this.#api.waitOutAccountLimit(
          (numberHeader(res.headers, 'retry-after') ?? 1) * 1000,
          `429 ${error.policyName}`,
          'POST /crm/v3/exports/export/async',
          signal,
        );
        continue;
      }
      const what = [error.category, error.message ?? res.text.slice(0, 200)].filter(Boolean).join(': ');
      return { kind: 'refused', reason: `HTTP ${res.status} ${what}` };
    }
  }

  /** Polls with growing waits until COMPLETE; CANCELED (or a failed state) and the timeout are errors. */
  async waitFor(taskId: string, polling: ExportPolling): Promise<ExportDone> {
    const deadline = Date.now() + polling.timeoutMs;
    let wait = polling.pollMs;
    for (;;) {
      await sleep(wait, polling.signal);
      const status = await this.#api.json(
        {
          path: `/crm/v3/exports/export/async/tasks/${encodeURIComponent(taskId)}/status`,
          endpoint: 'GET /crm/v3/exports/export/async/tasks/{taskId}/status',
          signal: polling.signal,
        },
        HubspotExportStatusSchema,
      );
      if (status.status === 'COMPLETE') {
        if (status.result === undefined || status.result === '') {
          throw new TideError(
            'malformed_response',
            `HubSpot export ${taskId} is COMPLETE without a result URL`,
          );
        }
        return { url: status.result };
      }
      if (FAILED_STATES.has(status.status)) {
        const reasons = (status.errors ?? []).map((e) => e.message).filter(Boolean);
        throw new TideError(
          'source_error',
          `HubSpot export ${taskId} ended ${status.status}${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}`,
        );
      }
      if (Date.now() + wait > deadline) {
        throw new TideError(
          'source_error',
          `HubSpot export ${taskId} still ${status.status} after ${Math.round(polling.timeoutMs / 60_000)} minutes`,
        );
      }
      wait = Math.min(Math.round(wait * 1.5), polling.maxPollMs);
    }
  }

  /** The file's bytes as they arrive (CSV, or a ZIP of CSVs). */
  async download(url: string, signal: AbortSignal): Promise<AsyncIterable<Uint8Array>> {
    const res = await this.#files.requestStream({
      path: url,
      endpoint: 'GET export file',
      headers: { accept: 'text/csv, application/zip, */*' },
      signal,
    });
    return res.body;
  }
}
