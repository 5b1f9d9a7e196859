import type { Destination } from '../../core/destination.js';
import type { Source } from '../../core/source.js';

/**
 * What a connector's test harness gives the conformance suites: a Source and a Destination pointed at
 * the connector's simulator (through the same HTTP path as production: only base URL and credentials
 * differ), plus the simulator's control API to arrange each case and read the truth. One harness per
 * connector, in test/connectors/<crm>/<crm>-harness.ts; test/conformance/connectors.test.ts lists
 * them, so a new CRM is proven by adding one line there.
 */
export interface ConnectorHarness {
  /** The connector kind (`hubspot`), for test names. */
  readonly kind: string;
  readonly source: SourceHarness;
  /** Null when the connector has no reverse ETL. */
  readonly destination: DestinationHarness | null;
  close(): Promise<void>;
}

/** A fault the simulator serves on its next matching requests, then behaves again. */
export type SimulatorFault =
  /** The vendor's rate-limit answer (status and headers as the vendor sends them), `count` times. */
  | { readonly kind: 'rate-limit'; readonly count: number }
  /** A page with no records that still carries a next-page link/token, `count` times (list reads). */
  | { readonly kind: 'empty-page'; readonly count: number };

export interface SourceHarness {
  readonly source: Source;
  /** Streams the harness can mutate and knows the truth of (at least the contact-like one). */
  readonly streams: readonly string[];
  /** Records per page the source asks for (page-boundary cases create more than this). */
  readonly pageSize: number;
  /** The CRM's current records of a stream: id → deleted. */
  truth(stream: string): Promise<Map<string, boolean>>;
  /**
   * Changes `n` records of a stream (a new last-modified) and returns their ids. With `sameInstant`
   * every one of them gets the same last-modified value (ties, possibly across pages).
   */
  mutate(stream: string, n: number, options?: { readonly sameInstant?: boolean }): Promise<readonly string[]>;
  /** Deletes (archives, soft-deletes) `n` records of a stream; returns their ids. */
  remove(stream: string, n: number): Promise<readonly string[]>;
  /**
   * Adds a custom field to the stream's object and gives `n` records a value for it (changing their
   * last-modified); returns the field's name as the source's columns name it and the records' ids.
   */
  addCustomField(
    stream: string,
    n: number,
  ): Promise<{ readonly field: string; readonly ids: readonly string[] }>;
  /** The simulator serves this fault next (any stream). */
  fault(fault: SimulatorFault): Promise<void>;
  /** API calls the simulator has served so far. */
  calls(): Promise<number>;
}

export interface DestinationHarness {
  readonly destination: Destination;
  /** The object syncs write (`contacts`, `Contact`, `persons`). */
  readonly object: string;
  /**
   * A writable number field and a writable text field of that object, as the CRM names them (created
   * by the harness as custom fields where the CRM needs it).
   */
  readonly numberField: string;
  readonly textField: string;
  /**
   * True when the CRM has batch writes (one call for up to 100 records): the suite then expects
   * exactly ceil(changed / 100) write calls. False for one request per record (Pipedrive).
   */
  readonly batchWrites: boolean;
  /** Ids of `n` existing, live records of the object. */
  existingIds(n: number): Promise<readonly string[]>;
  /** The CRM's current value of a field of a record (the simulator's truth, not a read through Tide). */
  valueOf(id: string, field: string): Promise<unknown>;
  /** Every field name the CRM holds a value for on a record (to prove unmapped fields are untouched). */
  snapshot(id: string): Promise<Readonly<Record<string, unknown>>>;
  /**
   * An id the CRM refuses a write to while accepting the others in the same call (a record deleted
   * meanwhile, or one the simulator is told to refuse): the partial-failure case.
   */
  unwritableId(): Promise<string>;
  /** Write requests (not reads, not metadata) the simulator has served so far. */
  writeCalls(): Promise<number>;
  fault(fault: SimulatorFault): Promise<void>;
}
