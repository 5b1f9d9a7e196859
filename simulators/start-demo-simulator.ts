import type { SourceConfig } from '../config/schema.js';
import type { RunningSimulator } from './core/sim-server.js';
import { startHubspotSimulator } from './hubspot/start-hubspot-simulator.js';
import { startPipedriveSimulator } from './pipedrive/start-pipedrive-simulator.js';
import { startSalesforceSimulator } from './salesforce/start-salesforce-simulator.js';

export interface DemoSimulator {
  readonly running: RunningSimulator;
  readonly baseUrl: string;
  /** Credentials the simulator accepts, under the environment-variable names the config names. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Starts the built-in simulator for a source configured with a `simulator` block. The source then
 * runs its normal code against it: only the base URL and the credentials differ from production.
 */
export async function startDemoSimulator(
  config: SourceConfig,
  options: { port?: number } = {},
): Promise<DemoSimulator | null> {
  const sim = config.simulator;
  if (sim === undefined) return null;
  switch (config.kind) {
    case 'hubspot': {
      const running = await startHubspotSimulator({
        seed: sim.seed,
        scale: sim.scale,
        mutationsPerStart: sim.mutationsPerStart,
        ...(options.port === undefined ? {} : { port: options.port }),
      });
      return { running, baseUrl: running.baseUrl, env: { [config.tokenEnv]: running.token } };
    }
    case 'salesforce': {
      const running = await startSalesforceSimulator({
        seed: sim.seed,
        scale: sim.scale,
        mutationsPerStart: sim.mutationsPerStart,
        ...(options.port === undefined ? {} : { port: options.port }),
      });
      const env = { [config.clientIdEnv]: running.clientId, [config.clientSecretEnv]: running.clientSecret };
      if (config.refreshTokenEnv) env[config.refreshTokenEnv] = running.refreshToken;
      return { running, baseUrl: running.baseUrl, env };
    }
    case 'pipedrive': {
      const running = await startPipedriveSimulator({
        seed: sim.seed,
        scale: sim.scale,
        mutationsPerStart: sim.mutationsPerStart,
        ...(options.port === undefined ? {} : { port: options.port }),
      });
      const tokenEnv = config.apiTokenEnv ?? config.oauthTokenEnv;
      return {
        running,
        baseUrl: running.baseUrl,
        env: tokenEnv === undefined ? {} : { [tokenEnv]: running.apiToken },
      };
    }
  }
}
