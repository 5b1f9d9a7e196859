import { TideError } from '../errors/tide-error.js';
import type { RequestLog } from '../http/request-log.js';

/** What building a CRM account's HTTP client needs (a subset of extract's SourceDeps). */
export interface ConnectionDeps {
  /** Where credentials are read from, by the variable names the config gives. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly requestLog?: RequestLog;
  /** Replaces the configured base URL (the demo's simulators listen on ephemeral ports). */
  readonly baseUrl?: string;
  /** The session's shared connections; without it every caller builds its own. */
  readonly connections?: CrmConnections;
}

/**
 * One connection per configured CRM account per session (its HTTP client: credentials, rate budgets,
 * request log), shared by the account's Source and Destination so extraction and reverse ETL spend
 * from the same rate limiter instead of each assuming the whole allowance. Keyed by source name; the
 * first user builds it.
 */
export class CrmConnections {
  readonly #byName = new Map<string, { readonly kind: string; readonly connection: unknown }>();

  /** The account's connection, built by `create` on first use. */
  shared<T>(name: string, kind: string, create: () => T): T {
    const existing = this.#byName.get(name);
    if (existing !== undefined) {
      if (existing.kind !== kind) {
        throw new TideError(
          'config_invalid',
          `source "${name}" is configured as both ${existing.kind} and ${kind}`,
        );
      }
      // Each vendor stores one type per kind under its own key, so the entry has this caller's type.
      return existing.connection as T;
    }
    const connection = create();
    this.#byName.set(name, { kind, connection });
    return connection;
  }
}

/** Builds through the session's registry when there is one. */
export function sharedConnection<T>(deps: ConnectionDeps, name: string, kind: string, create: () => T): T {
  return deps.connections ? deps.connections.shared(name, kind, create) : create();
}
