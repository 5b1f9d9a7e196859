import { HubspotSourceSchema } from '../../connectors/hubspot/hubspot-config.js';
import { createHubspotSource } from '../../connectors/hubspot/hubspot-source.js';
import type { Logger } from '../../core/logger.js';
import type { RequestLog } from '../../core/request-log.js';
import type { Source } from '../../core/source.js';

/** What the Tide contenders are given: the simulator, and the source config they override. */
export interface BenchSourceArgs {
  readonly baseUrl: string;
  readonly token: string;
  readonly streams?: string[];
  readonly source?: Record<string, unknown>;
}

/** The HubSpot source both Tide contenders read through, configured as `tide extract` would be. */
export function benchHubspotSource(
  args: BenchSourceArgs,
  deps: { readonly requestLog: RequestLog; readonly log: Logger },
): { readonly source: Source; readonly concurrency: number } {
  const config = HubspotSourceSchema.parse({
    kind: 'hubspot',
    tokenEnv: 'T',
    overlapMinutes: 0,
    ...(args.streams ? { streams: args.streams } : {}),
    ...args.source,
  });
  const source = createHubspotSource(config, { env: { T: args.token }, ...deps, baseUrl: args.baseUrl });
  return { source, concurrency: config.concurrency };
}
