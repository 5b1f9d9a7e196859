import type { TideError } from './tide-error.js';

/** How a sync finds its CRM records: reverse/sync-config.ts parses this from the config. */
export type SyncMatch =
  /** The CRM's own record id, carried through the models (e.g. `hubspot_id`). */
  | { readonly by: 'id'; readonly column: string }
  /** The CRM's email field (HubSpot `email`, Salesforce `Email`), compared case-insensitively. */
  | { readonly by: 'email'; readonly column: string; readonly field?: string | undefined }
  /** A unique / external-id field of the CRM object. */
  | { readonly by: 'external-id'; readonly column: string; readonly field: string };
export type MatchKind = SyncMatch['by'];

/**
 * What a CRM's write API can do, declared once per connector (like a Kysely adapter's flags) so config
 * validation can refuse an impossible sync before anything runs, instead of each writer failing late.
 */
export interface DestinationCapabilities {
  readonly match: readonly MatchKind[];
  readonly matchAdvice: string;
  /** Match kinds with a native create-or-update write. */
  readonly upsertBy: readonly MatchKind[];
  readonly upsertAdvice: string;
  /** Objects the writer supports; null = whatever the CRM's metadata API knows. */
  readonly objects: readonly string[] | null;
  /** The field `match: { by: 'email' }` uses when the sync names none. */
  readonly emailField: string | null;
}

/** The kinds of value Tide validates before sending; each writer encodes them for its CRM. */
export type CrmFieldType =
  | 'string'
  | 'number'
  | 'boolean'
  | 'enumeration'
  | 'multi-enumeration'
  | 'date'
  | 'datetime'
  | 'email'
  | 'phone'
  | 'unsupported';

/** One CRM field as the CRM's metadata API describes it, normalized across vendors. */
export interface CrmField {
  /** The name writes use (HubSpot property name, Salesforce API name, Pipedrive field key). */
  readonly name: string;
  readonly label: string;
  readonly type: CrmFieldType;
  /** The vendor's own type name, for messages (`enumeration`, `picklist`, `double`). */
  readonly vendorType: string;
  /** Null when writable; otherwise why not (read-only, calculated, ...). */
  readonly readOnlyReason: string | null;
  /** Allowed values of (multi-)enumerations: `value` is what is sent, `label` what users see. */
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  readonly maxLength?: number;
  /** Inclusive numeric bounds. */
  readonly min?: number;
  readonly max?: number;
  /** Digits after the decimal point the field stores (Salesforce scale); 0 = integers only. */
  readonly scale?: number;
  /** Can key a native upsert / keyed write (HubSpot unique-value property, Salesforce External ID). */
  readonly unique: boolean;
}

/** A validated value, vendor-neutral: dates as YYYY-MM-DD, datetimes as ISO, options by value. */
export type CanonicalValue = string | number | boolean | readonly string[] | null;

export interface WriteTarget {
  readonly object: string;
  readonly match: SyncMatch;
  /** The resolved field records are matched on (email / external id); null when matching by CRM id. */
  readonly matchField: CrmField | null;
  /** update / fill-empty write existing records only; upsert creates the missing ones. */
  readonly operation: 'update' | 'upsert';
  /** Metadata of the fields the sync writes, by CRM field name. */
  readonly fields: ReadonlyMap<string, CrmField>;
}

export interface WriteRecord {
  /** Identity of the record in `tide.pushed` (the normalized match value). */
  readonly key: string;
  /** The value sent to the CRM to identify the record (id, email, external id). */
  readonly matchValue: string;
  /** CRM field → value; only mapped fields, already validated. */
  readonly values: Readonly<Record<string, CanonicalValue>>;
}

/**
 * The outcome of one record in a write call. A writer answers every record it was given, in any
 * order, and never throws halfway through a batch: it either returns one outcome per record (marking
 * records it could not try `fatal`), or throws a TideError meaning nothing in the call is confirmed
 * and the sync must stop (credentials, daily quota, retries exhausted).
 */
export type WriteOutcome =
  | {
      readonly status: 'written';
      readonly key: string;
      readonly crmId: string | null;
      readonly created: boolean;
    }
  /** The CRM refused this record; `reason` is the CRM's own explanation. */
  | { readonly status: 'rejected'; readonly key: string; readonly reason: string }
  /**
   * The CRM refused the call as a whole (one bad record can do that): splitting may isolate it. With
   * `fatal`, the record was never tried because the sync must stop (a writer that sends one request
   * per record hit credentials / quota / retries exhausted part-way): the others' outcomes stand.
   */
  | {
      readonly status: 'not-executed';
      readonly key: string;
      readonly reason: string;
      readonly fatal?: TideError;
    };

/** Current CRM values of a record, for fill-empty; absent fields are empty. */
export type CurrentValues = Readonly<Record<string, unknown>>;

/**
 * Where a sync writes: one CRM account, through the same HTTP client (and rate budget) as the
 * account's extraction. One implementation per CRM in connectors/<crm>/.
 */
export interface Destination {
  readonly name: string;
  readonly vendor: string;
  readonly capabilities: DestinationCapabilities;
  /** Records per write call the CRM accepts. */
  readonly maxBatchSize: number;
  /** Write calls in flight when the sync does not say. */
  readonly defaultConcurrency: number;
  /** The object's fields as the CRM's metadata API describes them. */
  fields(object: string, signal?: AbortSignal): Promise<readonly CrmField[]>;
  /**
   * Current values of `fields` for the given records (batched reads), keyed by `WriteRecord.key`.
   * Records the CRM does not have are absent from the map.
   */
  readCurrent(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, CurrentValues>>;
  write(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<readonly WriteOutcome[]>;
}

/** Whether a CRM value counts as empty for fill-empty. */
export function isEmptyCrmValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}
