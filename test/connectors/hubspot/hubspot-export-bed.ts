import type { HubspotSourceConfig } from '../../../connectors/hubspot/hubspot-config.js';
import type { CountingRequestLog } from '../../../core/request-log.js';
import type { Source, Stream } from '../../../core/source.js';
import { runExtract } from '../../../extract/run-extract.js';
import type { Warehouse } from '../../../load/warehouse.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import type { StartedHubspotSimulator } from '../../../simulators/hubspot/start-hubspot-simulator.js';
import { hubspotSourceOn } from './hubspot-harness.js';

export interface ExportBed {
  readonly source: Source;
  readonly config: HubspotSourceConfig;
  readonly requests: CountingRequestLog;
  readonly log: MemoryLogger;
  stream(name: string): Stream;
  /** Requests Tide sent to one endpoint (as the request log labels it). */
  calls(endpoint: string): number;
}

export const EXPORT_START = 'POST /crm/v3/exports/export/async';

/**
 * A HubSpot source on a running simulator (its own connection, request log and logger), with the
 * export knob set by the caller: `exportAbove: 0` sends every first load through an export, `null`
 * through the list API. Exports are polled every 20 ms.
 */
export function exportBed(
  sim: StartedHubspotSimulator,
  overrides: Readonly<Record<string, unknown>>,
  streams: readonly string[] = ['contacts', 'companies', 'deals'],
): ExportBed {
  const bed = hubspotSourceOn(sim, { streams, ...overrides }, { exportPollMs: 20, burstRetryMs: 50 });
  return {
    ...bed,
    stream(name) {
      const found = bed.source.streams().find((s) => s.name === name);
      if (found === undefined) throw new Error(`no stream ${name}`);
      return found;
    },
    calls(endpoint) {
      return bed.requests
        .rows()
        .filter((r) => r.endpoint === endpoint)
        .reduce((n, r) => n + r.count, 0);
    },
  };
}

/** One `tide extract` of the bed's streams into the warehouse, as the CLI runs it. */
export async function extractInto(warehouse: Warehouse, bed: ExportBed, runId: string) {
  const log = new MemoryLogger();
  const summary = await runExtract({
    runId,
    warehouse,
    plan: bed.source
      .streams()
      .map((stream) => ({ source: bed.source, stream, startDate: null, fullRefresh: false })),
    concurrency: 3,
    checkpointEvery: 500,
    log,
    progress: { page: () => {} },
  });
  return { summary, log };
}
