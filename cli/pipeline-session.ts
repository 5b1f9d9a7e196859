import { randomUUID } from 'node:crypto';
import type { PipelineConfig, SourceConfig } from '../config/schema.js';
import { createSource } from '../extract/create-source.js';
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
  readonly sources: readonly { readonly config: SourceConfig; readonly source: Source }[];
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
  const sources: { config: SourceConfig; source: Source }[] = [];
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
        const source = createSource(sourceConfig, {
          env: sim ? { ...process.env, ...sim.env } : process.env,
          requestLog,
          log,
          ...(sim ? { baseUrl: sim.baseUrl } : {}),
        });
        sources.push({ config: sourceConfig, source });
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
