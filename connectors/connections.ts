import type { Logger } from '../core/logger.js';
import type { RequestLog } from '../core/request-log.js';
import { TideError } from '../core/tide-error.js';
import type { RateLimitWaits } from '../http/rate-limit-waits.js';

/** What building a CRM account's HTTP client needs. */
export interface ConnectionDeps {
  /** Where credentials are read from, by the variable names the config gives. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly requestLog?: RequestLog;
  /**
   * The run's budget for waiting out rate limits, shared by every account (give it to the account's
   * HttpClient as `rateLimitWaits`); without it each client has its own of the default size.
   */
  readonly rateLimitWaits?: RateLimitWaits;
  /** Replaces the configured base URL (the demo's simulators listen on ephemeral ports). */
  readonly baseUrl?: string;
  /** The session's shared connections; without it every caller builds its own. */
  readonly connections?: CrmConnections;
}

/**
 * The session's CRM accounts: one connection per configured account per session (its HTTP client:
 * credentials, rate budgets, request log), shared by the account's Source and Destination so
 * extraction and reverse ETL spend from the same rate limiter instead of each assuming the whole
 * allowance. This object is the session's identity and checks that one source name is one CRM kind;
 * each connector keeps its own typed connections in a ConnectionPool.
 */
export class CrmConnections {
  readonly #kinds = new Map<string, string>();

  /** Records that `name` is a `kind` account; the same name as another kind is a config error. */
  claim(name: string, kind: string): void {
    const existing = this.#kinds.get(name);
    if (existing !== undefined && existing !== kind) {
      throw new TideError('config_invalid', `source "${name}" is configured as both ${existing} and ${kind}`);
    }
    this.#kinds.set(name, kind);
  }
}

/**
 * One connector's connections, by session and source name. Each connector module owns one pool of its
 * own connection type, so sharing needs no cast; without a session every caller builds its own.
 */
export class ConnectionPool<T> {
  readonly #kind: string;
  readonly #bySession = new WeakMap<CrmConnections, Map<string, T>>();

  constructor(kind: string) {
    this.#kind = kind;
  }

  /** The account's connection, built by `create` on first use in this session. */
  shared(deps: ConnectionDeps, name: string, create: () => T): T {
    const session = deps.connections;
    if (session === undefined) return create();
    session.claim(name, this.#kind);
    let byName = this.#bySession.get(session);
    if (byName === undefined) {
      byName = new Map();
      this.#bySession.set(session, byName);
    }
    const existing = byName.get(name);
    if (existing !== undefined) return existing;
    const connection = create();
    byName.set(name, connection);
    return connection;
  }
}

/** What building a Source needs: the account's connection deps plus a logger. */
export interface SourceDeps extends ConnectionDeps {
  readonly log: Logger;
}
