import type { IncomingHttpHeaders } from 'node:http';
import type { PlantedText } from './plant-text.js';
import type { SimClock } from './sim-clock.js';

export interface SimRequest {
  readonly method: string;
  readonly path: string;
  /** The raw request target as sent (path + query), for vendors that limit its length. */
  readonly url?: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

export interface SimResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialized as JSON unless `text` is given. */
  readonly json?: unknown;
  readonly text?: string;
  /** A body sent as it is produced (a generated export file), instead of `json` / `text`. */
  readonly stream?: AsyncIterable<Uint8Array>;
}

/** Vendor-specific control operations behind `/_sim/`. */
export interface SimControl {
  /** Create / update / archive N records of an object, advancing last-modified. */
  mutate(body: unknown): unknown;
  /** Every current record of an object (archived included, flagged), the ground truth. */
  truth(object: string): Iterable<unknown>;
  /** Loads records of an object from NDJSON lines, replacing same ids. Returns how many. */
  load(object: string, lines: Iterable<string>): number;
  /** Vendor settings such as rate-limit sizes; returns the settings in force. */
  configure(body: unknown): unknown;
  /**
   * Puts hostile text into records of the contact-like object (body: PlantTextSchema). Every
   * simulator should have it: the fault suite (bench/faults) and test/faults need it per connector.
   */
  plantText?(body: unknown): PlantedText;
}

/**
 * A backend's list pages, as the empty-page fault needs them: which requests read one page of a
 * paginated list, and how such a page looks with no records and a next link carrying a given token.
 * The kit remembers the request behind each token it hands out and replays it when a client follows
 * the link, so the backend never sees the token.
 */
export interface SimPaging {
  /** Whether the request reads one page of a paginated list (not a count, not a single record). */
  isPageRead(req: SimRequest): boolean;
  /** `page` (the backend's answer to `req`) without its records, its next link carrying `token`. */
  emptied(page: SimResponse, token: string, req: SimRequest): SimResponse;
}

export interface SimBackend {
  readonly vendor: string;
  readonly control: SimControl;
  /** Describes list pages for the empty-page fault; without it the fault is never served. */
  readonly paging?: SimPaging;
  handle(req: SimRequest): SimResponse | Promise<SimResponse>;
  /** Label for statistics (`GET /crm/v3/objects/contacts`). */
  endpoint(req: SimRequest): string;
  /** The vendor's own 429 / 5xx responses, used by fault injection. */
  rateLimitResponse(): SimResponse;
  serverErrorResponse(): SimResponse;
  /** The vendor's 401 for an expired or revoked token (fault injection); a bare 401 when absent. */
  unauthorizedResponse?(): SimResponse;
  /** Which requests count as writes (for `stats.writes`, e.g. dry runs must leave it at zero). */
  isWrite(req: SimRequest): boolean;
  /**
   * The records a write request names (ids as the vendor's API gives them), for the per-record write
   * journal (`GET /_sim/writes`): the fault suite checks every write the CRM received against
   * Tide's push log. Only asked for writes that succeeded.
   */
  writtenIds?(req: SimRequest): readonly string[];
}

export interface SimContext {
  readonly clock: SimClock;
}
