import { randomUUID } from 'node:crypto';
import type { PipelineConfig, SourceConfig } from '../config/schema.js';
import { CrmConnections } from '../crm/crm-connections.js';
import { createSource, type SourceDeps } from '../extract/create-source.js';
import type { Logger, Source } from '../extract/source.js';
import { CountingRequestLog } from '../http/request-log.js';
import { openWarehouse } from '../load/open-warehouse.js';
import type { Warehouse } from '../load/warehouse.js';
import { type DemoSimulator, startDemoSimulator } from '../simulators/start-demo-simulator.js';

/** Everything one CLI invocation talks to, opened in order and closed in reverse. */
export interface PipelineSession {
  readonly runId: string;
  readonly config: PipelineConfig;
  readonly warehouse: Warehouse;
  /** `deps` is what built the source; reverse ETL builds the account's Destination from it too. */
  readonly sources: readonly {
    readonly config: SourceConfig;
    readonly source: Source;
    readonly deps: SourceDeps;
  }[];
  readonly requestLog: CountingRequestLog;
  close(): Promise<void>;
}

export async function openPipelineSession(
  config: PipelineConfig,
  log: Logger,
  options: { sources?: boolean; only?: string } = {},
): Promise<PipelineSession> {
  const runId = `${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomUUID().slice(0, 8)}`;
  const requestLog = new CountingRequestLog();
  const simulators: DemoSimulator[] = [];
  const sources: { config: SourceConfig; source: Source; deps: SourceDeps }[] = [];
  // One HTTP client (rate budget) per CRM account, shared by its Source and Destination.
  const connections = new CrmConnections();
  let warehouse: Warehouse | null = null;
  try {
    if (options.sources !== false) {
      for (const sourceConfig of config.sources) {
        if (options.only !== undefined && sourceConfig.name !== options.only) continue;
        const sim = await startDemoSimulator(sourceConfig);
        if (sim) {
          simulators.push(sim);
          log.info(`${sourceConfig.name}: using the built-in ${sourceConfig.kind} simulator`, {
            baseUrl: sim.baseUrl,
          });
        }
        const deps: SourceDeps = {
          env: sim ? { ...process.env, ...sim.env } : process.env,
          requestLog,
          log,
          connections,
          ...(sim ? { baseUrl: sim.baseUrl } : {}),
        };
        const source = createSource(sourceConfig, deps);
        sources.push({ config: sourceConfig, source, deps });
      }
    }
    warehouse = await openWarehouse(config.warehouse);
  } catch (error) {
    await Promise.allSettled(simulators.map((s) => s.running.close()));
    throw error;
  }
  const opened = warehouse;
  return {
    runId,
    config,
    warehouse: opened,
    sources,
    requestLog,
    close: async () => {
      await Promise.allSettled(sources.map(({ source }) => source.close?.()));
      await opened.close();
      await Promise.allSettled(simulators.map((s) => s.running.close()));
    },
  };
}
