import pLimit from 'p-limit';
import { z } from 'zod';
import type {
  CanonicalValue,
  CrmField,
  CurrentValues,
  Destination,
  WriteOutcome,
  WriteRecord,
  WriteTarget,
} from '../../core/destination.js';
import { isTideError, TideError } from '../../core/tide-error.js';
import { parseJson } from '../../http/parse-json.js';
import { FieldCache } from '../../reverse/field-cache.js';
import { PIPEDRIVE_CAPABILITIES } from './pipedrive-capabilities.js';
import type { PipedriveClient } from './pipedrive-client.js';
import {
  fieldsEndpoint,
  isCustomKey,
  type PipedriveObject,
  pipedriveField,
  writableObject,
  writableObjects,
} from './pipedrive-field-catalog.js';
import { PipedriveErrorSchema } from './pipedrive-schemas.js';

/** PATCHes in flight per account; the shared burst budget paces them further. */
const PATCHES_IN_FLIGHT = 12;
/** Per-record refusals Pipedrive explains in its error body. */
const RECORD_REFUSALS = [400, 404, 410, 422];

const RecordsSchema = z.object({
  success: z.literal(true),
  data: z
    .array(z.looseObject({ id: z.number(), custom_fields: z.record(z.string(), z.unknown()).nullish() }))
    .nullable(),
});
const PatchedSchema = z.object({ success: z.literal(true), data: z.looseObject({ id: z.number() }) });

/**
 * Writes to Pipedrive, which has no batch update: one `PATCH /api/v2/{object}/{id}` per record,
 * at most 16 in flight for the account and paced by the account's shared 2-second burst budget.
 * Custom fields go in `custom_fields` keyed by their 40-character hash, enum/set values as option ids.
 * Current values for fill-empty come from one `GET /api/v2/{object}?ids=…` per batch (≤ 100 ids).
 */
export class PipedriveDestination implements Destination {
  readonly name: string;
  readonly vendor = 'Pipedrive';
  readonly capabilities = PIPEDRIVE_CAPABILITIES;
  /** Records per write() call; each is still one request. */
  readonly maxBatchSize = 100;
  readonly defaultConcurrency = 2;
  readonly #client: PipedriveClient;
  readonly #limit = pLimit(PATCHES_IN_FLIGHT);
  readonly #fields = new FieldCache();

  constructor(name: string, client: PipedriveClient) {
    this.name = name;
    this.#client = client;
  }

  fields(object: string, signal?: AbortSignal): Promise<readonly CrmField[]> {
    const kind = pipedriveObject(object);
    return this.#fields.get(kind, async () => {
      const all = await this.#client.fields(fieldsEndpoint(kind), signal);
      return all.map((f) => pipedriveField(kind, f));
    });
  }

  async readCurrent(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, CurrentValues>> {
    const kind = pipedriveObject(target.object);
    const ids = records.map((r) => r.matchValue).filter(isRecordId);
    const out = new Map<string, CurrentValues>();
    if (ids.length === 0) return out;
    const page = await this.#client.http.json(
      {
        path: `/api/v2/${kind}`,
        query: { ids: ids.join(','), limit: 100 },
        endpoint: `GET /api/v2/${kind}`,
        ...(signal ? { signal } : {}),
      },
      RecordsSchema,
    );
    const keyOf = new Map(records.map((r) => [r.matchValue, r.key]));
    for (const row of page.data ?? []) {
      const key = keyOf.get(String(row.id));
      if (key === undefined) continue;
      // Custom values live under custom_fields by hash; standard ones at the top, by key.
      out.set(key, { ...row, ...(row.custom_fields ?? {}) });
    }
    return out;
  }

  async write(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<readonly WriteOutcome[]> {
    const kind = pipedriveObject(target.object);
    const settled = await Promise.allSettled(
      records.map((record) => this.#limit(() => this.#patch(kind, target, record, signal))),
    );
    let fatal: TideError | null = null;
    return settled.map((s, i): WriteOutcome => {
      const key = records[i]!.key;
      if (s.status === 'fulfilled') return s.value;
      fatal ??= isTideError(s.reason)
        ? s.reason
        : new TideError('reverse_error', `Pipedrive write stopped: ${String(s.reason)}`, { cause: s.reason });
      return { status: 'not-executed', key, reason: fatal.message, fatal };
    });
  }

  async #patch(
    kind: PipedriveObject,
    target: WriteTarget,
    record: WriteRecord,
    signal?: AbortSignal,
  ): Promise<WriteOutcome> {
    if (!isRecordId(record.matchValue)) {
      return {
        status: 'rejected',
        key: record.key,
        reason: `${record.matchValue} is not a Pipedrive ${kind} id`,
      };
    }
    const res = await this.#client.http.request({
      method: 'PATCH',
      path: `/api/v2/${kind}/${record.matchValue}`,
      json: body(target, record.values),
      endpoint: `PATCH /api/v2/${kind}/{id}`,
      acceptStatuses: RECORD_REFUSALS,
      ...(signal ? { signal } : {}),
    });
    if (res.status >= 400) {
      const parsed = PipedriveErrorSchema.safeParse(safeJson(res.text));
      const message = parsed.success ? (parsed.data.error ?? res.text.slice(0, 200)) : res.text.slice(0, 200);
      return { status: 'rejected', key: record.key, reason: `${res.status}: ${message}` };
    }
    const done = parseJson(res.text, PatchedSchema, `Pipedrive PATCH /api/v2/${kind}/{id}`);
    return { status: 'written', key: record.key, crmId: String(done.data.id), created: false };
  }
}

/** The v2 body: standard fields at the top, custom fields under `custom_fields` by hash. */
function body(
  target: WriteTarget,
  values: Readonly<Record<string, CanonicalValue>>,
): Record<string, unknown> {
  const top: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const field = target.fields.get(name);
    const encoded = encode(field, value);
    if (isCustomKey(name)) custom[name] = encoded;
    else top[name] = encoded;
  }
  return Object.keys(custom).length > 0 ? { ...top, custom_fields: custom } : top;
}

/** Option values are ids as strings (CrmField options): Pipedrive wants numbers; `null` clears a set. */
function encode(field: CrmField | undefined, value: CanonicalValue): unknown {
  if (value === null) return null;
  if (field?.type === 'enumeration') return Number(value);
  if (field?.type === 'multi-enumeration' && Array.isArray(value)) {
    return value.length === 0 ? null : value.map(Number);
  }
  return value;
}

function pipedriveObject(object: string): PipedriveObject {
  const writable = writableObject(object);
  if (writable !== null) return writable;
  throw new TideError('config_invalid', `Pipedrive object must be one of ${writableObjects().join(', ')}`);
}

function isRecordId(value: string): boolean {
  return /^[1-9]\d{0,15}$/.test(value);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
