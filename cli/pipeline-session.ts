import { randomUUID } from 'node:crypto';
import type { PipelineConfig, SourceConfig } from '../config/schema.js';
import { CrmConnections, type SourceDeps } from '../connectors/connections.js';
import type { DemoSimulator } from '../connectors/connector.js';
import { connectorFor } from '../connectors/registry.js';
import type { Logger } from '../core/logger.js';
import { CountingRequestLog } from '../core/request-log.js';
import type { Source } from '../core/source.js';
import { openWarehouse } from '../load/open-warehouse.js';
import type { Warehouse } from '../load/warehouse.js';

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
  options: { sources?: boolean; only?: string; readOnly?: boolean } = {},
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
        const connector = connectorFor(sourceConfig.kind);
        const sim =
          sourceConfig.simulator === undefined
            ? null
            : await connector.startSimulator(sourceConfig, sourceConfig.simulator);
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
        const source = connector.createSource(sourceConfig, deps);
        sources.push({ config: sourceConfig, source, deps });
      }
    }
    warehouse = await openWarehouse(config.warehouse, { readOnly: options.readOnly === true });
  } catch (error) {
    await Promise.allSettled(simulators.map((s) => s.close()));
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
      await Promise.allSettled(simulators.map((s) => s.close()));
    },
  };
}
