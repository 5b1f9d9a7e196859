import type { SourceConfig } from '../config/schema.js';
import type { RequestLog } from '../http/request-log.js';
import { createHubspotSource } from './hubspot/hubspot-source.js';
import type { Logger, Source } from './source.js';

export interface SourceDeps {
  /** Where credentials are read from, by the variable names the config gives. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly requestLog?: RequestLog;
  readonly log: Logger;
  /** Replaces the configured base URL (the demo's simulators listen on ephemeral ports). */
  readonly baseUrl?: string;
}

/** Builds the Source for one configured CRM account. */
export function createSource(config: SourceConfig, deps: SourceDeps): Source {
  switch (config.kind) {
    case 'hubspot':
      return createHubspotSource(config, deps);
  }
}
