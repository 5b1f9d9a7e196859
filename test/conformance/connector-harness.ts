import type { Destination } from '../../core/destination.js';
import type { Source } from '../../core/source.js';

/**
 * What a connector's test harness gives the conformance suites: a Source and a Destination pointed at
 * the connector's simulator (through the same HTTP path as production: only base URL and credentials
 * differ), plus the simulator's control API to arrange each case and read the truth. One harness per
 * connector, in test/connectors/<crm>/<crm>-harness.ts; test/conformance/connectors.test.ts lists
 * them, so a new CRM is proven by adding one line there. Each suite starts its own harness (its own
 * simulator), so the source and destination cases never see each other's changes.
 */
export interface ConnectorHarness {
  /** The connector kind (`hubspot`), for test names; also the sync's `to.crm`. */
  readonly kind: string;
  readonly source: SourceHarness;
  /** Null when the connector has no reverse ETL (the registry must say so too). */
  readonly destination: DestinationHarness | null;
  /** Stops the simulator (and anything else the harness started). */
  close(): Promise<void>;
}

/** A fault the simulator serves on its next matching requests, then behaves again. */
export type SimulatorFault =
  /** The vendor's rate-limit answer (status and headers as the vendor sends them), `count` times. */
  | { readonly kind: 'rate-limit'; readonly count: number }
  /**
   * A list page with no records that still carries a next-page link/token, `count` times; following
   * the link gives the page that was left out (simulators/kit: `emptyPages`).
   */
  | { readonly kind: 'empty-page'; readonly count: number };

export interface SourceHarness {
  /**
   * A Source on the simulator, configured through the connector's zod schema as a user would, with
   * no overlap window (an incremental read then holds only what changed) and retry waits shortened
   * for tests (the vendor's own rate-limit signals are still obeyed).
   */
  readonly source: Source;
  /**
   * A new Source on the same simulator, as the next run builds it: nothing cached from earlier reads
   * (field metadata above all), so a field added since shows up in its columns.
   */
  fresh(): Source;
  /** Streams the harness can mutate and knows the truth of, the contact-like one first. */
  readonly streams: readonly string[];
  /**
   * Records per page of the source's incremental reads (page-boundary cases change 1.5 times this).
   * The first stream holds at least twice this many live records.
   */
  readonly pageSize: number;
  /**
   * False for a CRM whose lists cannot be sorted by last-modified (ActiveCampaign has no
   * `orders[udate]`): its reads vouch for a cursor only at their end, so a crash mid-read keeps
   * nothing and the rerun reads the whole change set again. Default true: a checkpoint follows each
   * page, inside ties too.
   */
  readonly checkpointsMidRead?: false;
  /**
   * The CRM's now, to start a run at (`runStartedAt`): simulator clocks run ahead of the wall clock,
   * and a cursor never passes its run's start, so a run begins after the changes made before it.
   */
  now(): Promise<Date>;
  /** The CRM's current records of a stream: id → deleted. */
  truth(stream: string): Promise<Map<string, boolean>>;
  /**
   * Changes `n` live records of a stream and returns their ids; every change is stamped later than
   * anything read before the call. With `sameInstant` all of them get one identical last-modified
   * value (ties, across pages when `n` exceeds the page size); without it they may differ.
   */
  mutate(stream: string, n: number, options?: { readonly sameInstant?: boolean }): Promise<readonly string[]>;
  /** Deletes (archives, soft-deletes) `n` live records of a stream; returns their ids. */
  remove(stream: string, n: number): Promise<readonly string[]>;
  /**
   * Adds a custom field to the stream's object and gives `n` records a value for it (changing their
   * last-modified); returns the field's name as the source's columns name it and the records' ids.
   */
  addCustomField(
    stream: string,
    n: number,
  ): Promise<{ readonly field: string; readonly ids: readonly string[] }>;
  /** The simulator serves this fault next (any stream, any request it applies to). */
  fault(fault: SimulatorFault): Promise<void>;
  /** Counted faults set by `fault()` that the simulator has not served yet (0: the case met them). */
  pendingFaults(): Promise<number>;
  /** API calls the simulator has served so far. */
  calls(): Promise<number>;
}

export interface DestinationHarness {
  /** A Destination on the simulator, configured as a user would, retry waits shortened for tests. */
  readonly destination: Destination;
  /** The object syncs write (`contacts`, `Contact`, `persons`). */
  readonly object: string;
  /**
   * A writable number field (taking two decimals) and a writable text field of that object, as the
   * CRM names them (created by the harness as custom fields where the CRM needs it), empty on every
   * record `existingIds` hands out.
   */
  readonly numberField: string;
  readonly textField: string;
  /**
   * False when the object has no number type and `numberField` is a text field (ActiveCampaign
   * contacts: custom fields are text, dates and option lists), so a non-number is written as text,
   * not refused. Default true: non-numbers are rejected before any call.
   */
  readonly numberFieldTyped?: false;
  /**
   * True when the CRM has batch writes (one call for up to 100 records): the suite then expects
   * exactly ceil(changed / 100) write calls. False for one request per record (Pipedrive).
   */
  readonly batchWrites: boolean;
  /** Ids of `n` existing, live records of the object, none handed out by an earlier call. */
  existingIds(n: number): Promise<readonly string[]>;
  /** The CRM's current value of a field of a record (the simulator's truth, not a read through Tide). */
  valueOf(id: string, field: string): Promise<unknown>;
  /** `valueOf` for many records at once (one look at the truth): id → value, absent ids left out. */
  valuesOf(ids: readonly string[], field: string): Promise<ReadonlyMap<string, unknown>>;
  /**
   * A person sets a field of a record through the simulator's `/_sim/` control API (to Tide, somebody
   * else's change, stamped later than anything before): the conflict suite
   * (test/conformance/conflict-conformance.ts).
   */
  edit(id: string, field: string, value: number): Promise<void>;
  /**
   * Every field the CRM holds a value for on a record, without the stamps the CRM itself moves on
   * each write (last-modified): before and after a sync, only the mapped fields may differ.
   */
  snapshot(id: string): Promise<Readonly<Record<string, unknown>>>;
  /**
   * An id the CRM refuses a write to while accepting the others in the same call (a record deleted
   * meanwhile, or one that never existed): the partial-failure case.
   */
  unwritableId(): Promise<string>;
  /** What the CRM's refusal of `unwritableId()` says, as the rejection's reason shows it. */
  readonly rejectionReason: RegExp;
  /** Write requests (not reads, not metadata) the simulator has answered with success so far. */
  writeCalls(): Promise<number>;
  /** The simulator serves this fault on its next write requests. */
  fault(fault: SimulatorFault): Promise<void>;
  /** Counted faults set by `fault()` that the simulator has not served yet. */
  pendingFaults(): Promise<number>;
}
