import type { HubspotSourceConfig } from '../../../connectors/hubspot/hubspot-config.js';
import { HubspotSourceSchema } from '../../../connectors/hubspot/hubspot-config.js';
import { createHubspotSource } from '../../../connectors/hubspot/hubspot-source.js';
import { CountingRequestLog } from '../../../core/request-log.js';
import type { Source } from '../../../core/source.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import {
  type HubspotSimulatorOptions,
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../../simulators/hubspot/start-hubspot-simulator.js';
import type { SourceHarness } from '../../conformance/source-conformance.js';

export interface HubspotTestbed {
  readonly sim: StartedHubspotSimulator;
  readonly source: Source;
  readonly requests: CountingRequestLog;
  readonly log: MemoryLogger;
  readonly config: HubspotSourceConfig;
}

/** A HubSpot simulator plus a source pointed at it exactly as the demo does (base URL + token via env). */
export async function hubspotTestbed(
  simOptions: HubspotSimulatorOptions = {},
  configOverrides: Partial<Record<string, unknown>> = {},
): Promise<HubspotTestbed> {
  const sim = await startHubspotSimulator({
    seed: 7,
    scale: 300,
    mutationsPerStart: 0,
    burstLimit: 0,
    searchPerSecond: 0,
    ...simOptions,
  });
  const config = HubspotSourceSchema.parse({
    kind: 'hubspot',
    tokenEnv: 'TEST_HUBSPOT_TOKEN',
    streams: ['contacts', 'companies', 'deals', 'owners', 'contact_companies', 'calls', 'notes'],
    overlapMinutes: 0,
    burstLimit: 10_000,
    searchPerSecond: 10_000,
    ...configOverrides,
  });
  const requests = new CountingRequestLog();
  const log = new MemoryLogger();
  const source = createHubspotSource(config, {
    env: { TEST_HUBSPOT_TOKEN: sim.token },
    requestLog: requests,
    log,
    baseUrl: sim.baseUrl,
  });
  return { sim, source, requests, log, config };
}

interface TruthRecord {
  readonly id: string;
  readonly archived?: boolean;
}

export function hubspotHarness(testbed: HubspotTestbed, streams: readonly string[]): SourceHarness {
  const { sim } = testbed;
  const ids = (result: unknown): string[] => {
    const r = result as { ids?: unknown; touched?: unknown };
    const list = (r.ids ?? r.touched ?? result) as unknown;
    if (!Array.isArray(list))
      throw new Error(`unexpected mutate result ${JSON.stringify(result).slice(0, 200)}`);
    return list.map(String);
  };
  return {
    source: testbed.source,
    streams,
    async truth(stream) {
      const records = (await sim.control.truth(stream)) as TruthRecord[];
      return new Map(records.map((r) => [String(r.id), r.archived === true]));
    },
    async mutate(stream, n) {
      await sim.control.advanceClock(1_000);
      return ids(await sim.control.mutate({ object: stream, update: n }));
    },
    async remove(stream, n) {
      await sim.control.advanceClock(1_000);
      return ids(await sim.control.mutate({ object: stream, archive: n }));
    },
    async calls() {
      return (await sim.control.stats()).total;
    },
    close: () => sim.close(),
  };
}
