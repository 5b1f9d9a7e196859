import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PipelineConfig, SourceConfig } from '../config/schema.js';
import { CrmConnections, type SourceDeps } from '../connectors/connections.js';
import type { DemoSimulator } from '../connectors/connector.js';
import { connectorFor } from '../connectors/registry.js';
import type { Logger } from '../core/logger.js';
import { CountingRequestLog } from '../core/request-log.js';
import type { Source } from '../core/source.js';
import { isTideError } from '../core/tide-error.js';
import { RateLimitWaits } from '../http/rate-limit-waits.js';
import { type OpenWarehouseOptions, openWarehouse } from '../load/open-warehouse.js';
import type { Warehouse } from '../load/warehouse.js';
import type { WarehouseConfig } from '../load/warehouse-config.js';
import { newRunId } from './invocation.js';

export interface SessionOptions {
  /** Create the configured sources (default true); `tide sql`, `models`, `status` need none. */
  readonly sources?: boolean;
  /** Only this source. */
  readonly only?: string;
  /** The invocation's run id (a new one when absent). */
  readonly runId?: string;
  /**
   * For commands that only read (status, sql, docs, types, export, report): DuckDB attaches the file
   * READ_ONLY and nothing is created (load/open-warehouse.ts).
   */
  readonly readOnly?: boolean;
  /** Seconds to wait while another process holds the warehouse file (default 0: fail at once). */
  readonly waitSeconds?: number;
  /**
   * Checks the command line against the sources before the warehouse is opened, so a bad
   * `--stream` exits without creating or touching anything.
   */
  readonly validate?: (sources: PipelineSession['sources']) => void;
}

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
  /** This run's budget for waiting out rate limits, shared by every source. */
  readonly rateLimitWaits: RateLimitWaits;
  close(): Promise<void>;
}

/** The configured sources, started (simulators) and created, without a warehouse. */
export interface OpenedSources {
  readonly sources: PipelineSession['sources'];
  readonly requestLog: CountingRequestLog;
  readonly rateLimitWaits: RateLimitWaits;
  close(): Promise<void>;
}

export async function openSources(
  config: PipelineConfig,
  log: Logger,
  options: Pick<SessionOptions, 'sources' | 'only'> = {},
): Promise<OpenedSources> {
  const requestLog = new CountingRequestLog();
  const rateLimitWaits = new RateLimitWaits({ budgetMs: config.rateLimitWaitSeconds * 1000 });
  const simulators: DemoSimulator[] = [];
  const sources: { config: SourceConfig; source: Source; deps: SourceDeps }[] = [];
  // One HTTP client (rate budget) per CRM account, shared by its Source and Destination.
  const connections = new CrmConnections();
  const close = async (): Promise<void> => {
    await Promise.allSettled(sources.map(({ source }) => source.close?.()));
    await Promise.allSettled(simulators.map((s) => s.close()));
  };
  try {
    if (options.sources !== false) {
      for (const sourceConfig of config.sources) {
        if (options.only !== undefined && sourceConfig.name !== options.only) continue;
        const connector = connectorFor(sourceConfig.kind);
        const attachTo = sourceConfig.simulator?.url;
        const sim =
          sourceConfig.simulator === undefined || attachTo !== undefined
            ? null
            : await connector.startSimulator(sourceConfig, sourceConfig.simulator);
        if (sim) {
          simulators.push(sim);
          log.info(`${sourceConfig.name}: using the built-in ${sourceConfig.kind} simulator`, {
            baseUrl: sim.baseUrl,
          });
        }
        if (attachTo !== undefined) {
          log.info(`${sourceConfig.name}: using the running ${sourceConfig.kind} simulator`, {
            baseUrl: attachTo,
          });
        }
        const baseUrl = sim?.baseUrl ?? attachTo;
        const deps: SourceDeps = {
          env: sim ? { ...process.env, ...sim.env } : process.env,
          requestLog,
          rateLimitWaits,
          log,
          connections,
          ...(baseUrl === undefined ? {} : { baseUrl }),
        };
        const source = connector.createSource(sourceConfig, deps);
        sources.push({ config: sourceConfig, source, deps });
      }
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { sources, requestLog, rateLimitWaits, close };
}

export async function openPipelineSession(
  config: PipelineConfig,
  log: Logger,
  options: SessionOptions = {},
): Promise<PipelineSession> {
  const runId = options.runId ?? newRunId();
  const opened = await openSources(config, log, options);
  let warehouse: Warehouse;
  try {
    options.validate?.(opened.sources);
    warehouse = await openWarehouseWaiting(config.warehouse, log, options.waitSeconds ?? 0, {
      readOnly: options.readOnly === true,
    });
  } catch (error) {
    await opened.close();
    throw error;
  }
  return {
    runId,
    config,
    warehouse,
    sources: opened.sources,
    requestLog: opened.requestLog,
    rateLimitWaits: opened.rateLimitWaits,
    close: async () => {
      await warehouse.close();
      await opened.close();
    },
  };
}

/**
 * The warehouse file a config names when it does not exist yet (opening it would create it), or
 * null: it exists, or the warehouse is not a file.
 */
export function missingWarehouseFile(config: WarehouseConfig): string | null {
  const fields: Readonly<Record<string, unknown>> = config;
  const path = fields.path;
  if (typeof path !== 'string' || path === ':memory:') return null;
  return existsSync(resolve(path)) ? null : path;
}

/**
 * Opens the warehouse; while another process holds its file (DuckDB: one writer at a time), waits up
 * to `seconds` for it, saying so once, then gives up with the lock's own clear message.
 */
export async function openWarehouseWaiting(
  config: WarehouseConfig,
  log: Logger,
  seconds: number,
  options: OpenWarehouseOptions = {},
): Promise<Warehouse> {
  const deadline = Date.now() + seconds * 1000;
  let said = false;
  for (let attempt = 0; ; attempt++) {
    try {
      return await openWarehouse(config, options);
    } catch (error) {
      if (!isTideError(error) || error.code !== 'warehouse_locked' || Date.now() >= deadline) throw error;
      if (!said) log.info(`${error.message}; waiting up to ${seconds}s for it`);
      said = true;
      await sleep(Math.min(250 * 2 ** attempt, 5_000, Math.max(0, deadline - Date.now())));
    }
  }
}
