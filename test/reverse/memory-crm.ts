import { HUBSPOT_CAPABILITIES } from '../../connectors/hubspot/hubspot-capabilities.js';
import type {
  CrmField,
  CurrentValues,
  Destination,
  WriteOutcome,
  WriteRecord,
  WriteTarget,
} from '../../core/destination.js';
import { TideError } from '../../core/tide-error.js';

export const MEMORY_FIELDS: readonly CrmField[] = [
  { name: 'email', label: 'Email', type: 'email', vendorType: 'string', readOnlyReason: null, unique: true },
  {
    name: 'score',
    label: 'Score',
    type: 'number',
    vendorType: 'number',
    readOnlyReason: null,
    unique: false,
    min: 0,
    max: 100,
  },
  {
    name: 'tier',
    label: 'Tier',
    type: 'enumeration',
    vendorType: 'enumeration',
    readOnlyReason: null,
    unique: false,
    options: [
      { value: 'gold', label: 'Gold' },
      { value: 'silver', label: 'Silver' },
    ],
  },
  {
    name: 'note',
    label: 'Note',
    type: 'string',
    vendorType: 'string',
    readOnlyReason: null,
    unique: false,
    maxLength: 20,
  },
  {
    name: 'created',
    label: 'Created',
    type: 'datetime',
    vendorType: 'datetime',
    readOnlyReason: 'read-only',
    unique: false,
  },
];

/**
 * An in-memory CRM behind the Destination contract, for the reverse core's tests: it keeps records,
 * counts calls, and can reject records, refuse whole batches or fail terminally on demand.
 */
export class MemoryCrm implements Destination {
  readonly name = 'memcrm';
  readonly vendor = 'MemCRM';
  /** Writes like HubSpot: match by id, email or a unique field; upsert by email. */
  readonly capabilities = HUBSPOT_CAPABILITIES;
  readonly maxBatchSize = 100;
  readonly defaultConcurrency = 2;
  readonly records = new Map<string, Record<string, unknown>>();
  readonly writesPerRecord = new Map<string, number>();
  readonly batchSizes: number[] = [];
  readCalls = 0;
  fieldCalls = 0;
  /** A reason to reject one record (checked per record, like a 207 error). */
  rejectRecord: (id: string, values: Readonly<Record<string, unknown>>) => string | null = () => null;
  /** A whole call containing such a record is refused (like a 400 for the batch). */
  poisons: (record: WriteRecord) => boolean = () => false;
  /** Called before each write call; may throw (terminal errors) or abort. */
  beforeWrite: (call: number) => void = () => undefined;
  #nextId = 1;

  seed(n: number, values: (i: number) => Record<string, unknown> = () => ({})): void {
    for (let i = 1; i <= n; i++) {
      const id = String(this.#nextId++);
      this.records.set(id, { email: `p${i}@example.com`, ...values(i) });
    }
  }

  get writeCalls(): number {
    return this.batchSizes.length;
  }

  async fields(): Promise<readonly CrmField[]> {
    this.fieldCalls++;
    return MEMORY_FIELDS;
  }

  #find(target: WriteTarget, matchValue: string): string | undefined {
    if (target.match.by === 'id') return this.records.has(matchValue) ? matchValue : undefined;
    for (const [id, r] of this.records) {
      if (String(r.email).toLowerCase() === matchValue.toLowerCase()) return id;
    }
    return undefined;
  }

  async readCurrent(
    target: WriteTarget,
    records: readonly WriteRecord[],
  ): Promise<ReadonlyMap<string, CurrentValues>> {
    this.readCalls++;
    const out = new Map<string, CurrentValues>();
    for (const r of records) {
      const id = this.#find(target, r.matchValue);
      if (id !== undefined) out.set(r.key, { ...this.records.get(id) });
    }
    return out;
  }

  async write(target: WriteTarget, records: readonly WriteRecord[]): Promise<readonly WriteOutcome[]> {
    if (records.length > this.maxBatchSize) throw new Error(`batch of ${records.length} > 100`);
    this.beforeWrite(this.batchSizes.length + 1);
    this.batchSizes.push(records.length);
    const bad = records.find((r) => this.poisons(r));
    if (bad)
      return records.map((r) => ({
        status: 'not-executed',
        key: r.key,
        reason: `INVALID_INPUT in ${bad.key}`,
      }));
    return records.map((r): WriteOutcome => {
      let id = this.#find(target, r.matchValue);
      const reason = this.rejectRecord(id ?? r.matchValue, r.values);
      if (reason !== null) return { status: 'rejected', key: r.key, reason };
      let created = false;
      if (id === undefined) {
        if (target.operation !== 'upsert')
          return { status: 'rejected', key: r.key, reason: 'OBJECT_NOT_FOUND' };
        id = String(this.#nextId++);
        this.records.set(id, { email: r.matchValue });
        created = true;
      }
      Object.assign(this.records.get(id)!, r.values);
      this.writesPerRecord.set(id, (this.writesPerRecord.get(id) ?? 0) + 1);
      return { status: 'written', key: r.key, crmId: id, created };
    });
  }
}

export function terminal(message: string): TideError {
  return new TideError('quota_exhausted', message);
}
