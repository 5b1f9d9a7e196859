import type { ColumnSpec } from '../../core/column-spec.js';
import type { ExportPolling, HubspotExportClient } from './hubspot-export-client.js';
import { exportRows } from './hubspot-export-file.js';
import { exportObjects } from './hubspot-export-records.js';
import type { HubspotObject } from './hubspot-schemas.js';

/** Status asked after 2 s, then every 1.5× longer up to 30 s; given up on after an hour. */
export const DEFAULT_POLLING = { pollMs: 2_000, maxPollMs: 30_000, timeoutMs: 60 * 60_000 } as const;
/** Records handed on at once: associations are read for them together (100 ids per call). */
const PAGE_RECORDS = 1_000;

export interface ExportedPagesOptions {
  readonly objectType: string;
  readonly properties: readonly string[];
  readonly columns: readonly ColumnSpec[];
  readonly polling: ExportPolling;
}

/**
 * The records of a started export: its task polled until COMPLETE, its file streamed (never held),
 * split into rows and turned into HubSpot records page by page.
 */
export async function* exportedPages(
  exports: HubspotExportClient,
  taskId: string,
  o: ExportedPagesOptions,
): AsyncGenerator<HubspotObject[]> {
  const done = await exports.waitFor(taskId, o.polling);
  const what = `HubSpot export ${taskId} (${o.objectType})`;
  const bytes = await exports.download(done.url, o.polling.signal);
  yield* exportObjects(exportRows(bytes, what), {
    properties: o.properties,
    columns: o.columns,
    what,
    pageSize: PAGE_RECORDS,
  });
}
