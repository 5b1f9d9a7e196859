import { z } from 'zod';
import type { HubspotSourceConfig } from '../../../connectors/hubspot/hubspot-config.js';
import { HubspotSourceSchema } from '../../../connectors/hubspot/hubspot-config.js';
import { type HubspotTuning, hubspotClientFor } from '../../../connectors/hubspot/hubspot-connection.js';
import { HubspotDestination } from '../../../connectors/hubspot/hubspot-destination.js';
import { createHubspotSource } from '../../../connectors/hubspot/hubspot-source.js';
import { CountingRequestLog } from '../../../core/request-log.js';
import type { Source } from '../../../core/source.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import {
  type HubspotSimulatorOptions,
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../../simulators/hubspot/start-hubspot-simulator.js';
import type {
  ConnectorHarness,
  DestinationHarness,
  SourceHarness,
} from '../../conformance/connector-harness.js';
import { handOut, simulatorControls, truthViews } from '../../conformance/simulator-harness.js';

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
  return { sim, ...hubspotSourceOn(sim, configOverrides) };
}

/**
 * A source on a running simulator with its own connection, request log and logger (the testbed's
 * streams unless the overrides name others); `tuning` shortens HubSpot's waits.
 */
export function hubspotSourceOn(
  sim: StartedHubspotSimulator,
  configOverrides: Partial<Record<string, unknown>>,
  tuning?: HubspotTuning,
): Omit<HubspotTestbed, 'sim'> {
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
    ...(tuning ? { tuning } : {}),
  });
  return { source, requests, log, config };
}

/** A 429 without HubSpot's interval header waits this long in tests (HubSpot's own: 10 s). */
const TUNING: HubspotTuning = { burstRetryMs: 50 };
const STREAMS = ['contacts', 'companies', 'deals'];
const SCORE = 'tide_conformance_score';
const NOTE = 'tide_conformance_note';

const TruthRecordSchema = z.object({
  id: z.coerce.string(),
  archived: z.boolean().optional(),
  properties: z.record(z.string(), z.string().nullable()).default({}),
});
const MutationSchema = z.object({ updated: z.array(z.string()), archived: z.array(z.string()) });

/** The HubSpot connector's conformance harness (test/conformance/connector-harness.ts). */
export async function hubspotConnectorHarness(): Promise<ConnectorHarness> {
  const sim = await startHubspotSimulator({
    seed: 7,
    scale: 1200,
    mutationsPerStart: 0,
    burstLimit: 0,
    searchPerSecond: 0,
  });
  const env = { TEST_HUBSPOT_TOKEN: sim.token };
  const config = HubspotSourceSchema.parse({
    kind: 'hubspot',
    tokenEnv: 'TEST_HUBSPOT_TOKEN',
    streams: STREAMS,
    overlapMinutes: 0,
    burstLimit: 10_000,
    searchPerSecond: 10_000,
  });
  const newSource = (): Source =>
    createHubspotSource(config, { env, log: new MemoryLogger(), baseUrl: sim.baseUrl, tuning: TUNING });
  const truth = async (object: string) =>
    (await sim.control.truth(object)).map((r) => TruthRecordSchema.parse(r));
  const controls = simulatorControls(sim.control);
  // Changes land a second after everything before them (HubSpot stamps milliseconds off the clock).
  const mutate = async (body: Record<string, unknown>) => {
    await sim.control.advanceClock(1_000);
    return MutationSchema.parse(await sim.control.mutate(body));
  };
  let fields = 0;

  const source: SourceHarness = {
    source: newSource(),
    fresh: newSource,
    streams: STREAMS,
    pageSize: 200,
    async now() {
      const { now } = z.object({ now: z.string() }).parse(await sim.control.advanceClock(0));
      return new Date(now);
    },
    async truth(stream) {
      return new Map((await truth(stream)).map((r) => [r.id, r.archived === true]));
    },
    async mutate(stream, n, options) {
      return (await mutate({ object: stream, update: n, sameTimestamp: options?.sameInstant === true }))
        .updated;
    },
    async remove(stream, n) {
      return (await mutate({ object: stream, archive: n })).archived;
    },
    async addCustomField(stream, n) {
      const field = `tide_conformance_added_${++fields}`;
      await sim.control.configure({ addProperty: { object: stream, name: field, type: 'string' } });
      // Records edited after a property is added get values for it (simulators/hubspot/README.md).
      return { field, ids: (await mutate({ object: stream, update: n })).updated };
    },
    fault: (f) => controls.fault(f),
    pendingFaults: controls.pendingFaults,
    calls: controls.calls,
  };

  await sim.control.configure({ addProperty: { name: SCORE, type: 'number', label: 'Conformance score' } });
  await sim.control.configure({ addProperty: { name: NOTE, type: 'string', label: 'Conformance note' } });
  const contacts = (await truth('contacts')).filter((c) => c.archived !== true).map((c) => c.id);
  const propertiesOf = async (ids: readonly string[]) => {
    const wanted = new Set(ids);
    return new Map(
      (await truth('contacts')).filter((c) => wanted.has(c.id)).map((c) => [c.id, c.properties]),
    );
  };
  const destination: DestinationHarness = {
    destination: new HubspotDestination(
      'hubspot',
      hubspotClientFor(config, { env, baseUrl: sim.baseUrl, tuning: TUNING }),
    ),
    object: 'contacts',
    numberField: SCORE,
    textField: NOTE,
    batchWrites: true,
    existingIds: handOut(contacts, 'contacts'),
    // HubSpot moves its last-modified properties itself on every write.
    ...truthViews(propertiesOf, (name) => /lastmodifieddate$/.test(name)),
    // A person's edit in HubSpot's UI: the property set, last-modified moved (a second later).
    async edit(id, field, value) {
      await mutate({ object: 'contacts', ids: [id], setProperties: { [field]: String(value) } });
    },
    // HubSpot contact ids step by 50 from 51 (simulators/hubspot/object-seed.ts): this one never exists.
    unwritableId: async () => '999999990',
    rejectionReason: /^OBJECT_NOT_FOUND: /,
    writeCalls: controls.writeCalls,
    fault: (f) => controls.fault(f, '/batch/'),
    pendingFaults: controls.pendingFaults,
  };

  return { kind: 'hubspot', source, destination, close: () => sim.close() };
}
