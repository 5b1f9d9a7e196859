import type { SourceConfig } from '../../config/schema.js';
import { PipelineConfigSchema } from '../../config/schema.js';
import type { Connector, DemoSimulator } from '../../connectors/connector.js';
import { CONNECTORS } from '../../connectors/registry.js';
import { MemoryLogger } from '../../log/console-logger.js';
import demo from '../../pipeline.config.js';

const silent = new MemoryLogger();

/**
 * Every connector in the registry, run on its own simulator the way an operator would: the demo
 * config's source of that kind, attached (`simulator.url`) to a simulator this process started, so
 * the test or the fault suite drives its `/_sim/` control API while Tide runs against it — in this
 * process or in a child that gets killed. A new connector joins the fault cases by being in the
 * registry and in the demo config (pipeline.config.ts), nothing else.
 */
export interface SimulatedSource {
  readonly connector: Connector;
  /** The demo's source entry for this kind, as written in pipeline.config.ts. */
  readonly entry: Readonly<Record<string, unknown>>;
  readonly config: SourceConfig;
  readonly sim: DemoSimulator;
  /** The source entry for a config file: the demo's, attached to this running simulator. */
  configEntry(overrides?: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** The source's first stream (the contact-like one in every connector so far). */
  readonly firstStream: string;
  /** A call to the simulator's control API (`/_sim/…`); throws on a non-2xx answer. */
  control(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** Connector kinds that have a demo source to simulate (all of them, once each is in the demo config). */
export function simulatedKinds(): string[] {
  return CONNECTORS.map((c) => c.kind);
}

/**
 * The demo holds some CRMs to a small share of the people to keep `npm start` short (ActiveCampaign:
 * 1 %, at 5 requests a second and one write per contact); the fault cases need a few dozen records
 * in each (values to plant, more than one write to kill between), at a cost that stays small.
 */
const FAULT_CASE_SHARE = 0.1;

function demoEntry(kind: string): Record<string, unknown> {
  const entry = demo.sources.find((s) => s.kind === kind);
  if (entry === undefined) {
    throw new Error(
      `pipeline.config.ts has no source of kind "${kind}": add the connector's demo source (with its simulator) so the fault cases cover it`,
    );
  }
  const simulator: unknown = entry.simulator;
  if (typeof simulator === 'object' && simulator !== null && 'share' in simulator) {
    return { ...entry, simulator: { ...simulator, share: FAULT_CASE_SHARE } };
  }
  return { ...entry };
}

export async function startSimulated(
  kind: string,
  options: { readonly seed?: number; readonly scale?: number } = {},
): Promise<SimulatedSource> {
  const connector = CONNECTORS.find((c) => c.kind === kind);
  if (connector === undefined) throw new Error(`no connector of kind ${kind}`);
  const entry = demoEntry(kind);
  const parsed = PipelineConfigSchema.parse({ sources: [entry], syncs: [] });
  const config = parsed.sources[0]!;
  const sim = await connector.startSimulator(config, {
    seed: options.seed ?? 42,
    scale: options.scale ?? 300,
    mutationsPerStart: 0,
  });
  const base = sim.baseUrl.replace(/\/$/, '');
  // Building a source makes no request: it only lists the streams.
  const source = connector.createSource(config, { env: sim.env, baseUrl: sim.baseUrl, log: silent });
  const firstStream = source.streams()[0]?.name;
  if (firstStream === undefined) throw new Error(`${kind}: the demo source has no stream`);
  return {
    connector,
    entry,
    config,
    sim,
    firstStream,
    configEntry: (overrides = {}) => ({
      ...entry,
      simulator: { ...(entry.simulator as object | undefined), url: sim.baseUrl },
      ...overrides,
    }),
    async control(method, path, body) {
      const res = await fetch(`${base}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : {
              body: typeof body === 'string' ? body : JSON.stringify(body),
              headers: { 'content-type': 'application/json' },
            }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
      if (text === '') return null;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    },
    close: () => sim.close(),
  };
}
