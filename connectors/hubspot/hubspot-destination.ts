import type {
  CrmField,
  CurrentValues,
  Destination,
  WriteOutcome,
  WriteRecord,
  WriteTarget,
} from '../../core/destination.js';
import { parseJson } from '../../http/parse-json.js';
import { FieldCache } from '../../reverse/field-cache.js';
import {
  encodeHubspotValue,
  errorReason,
  type HubspotBatchResult,
  HubspotBatchResultSchema,
  HubspotCallErrorSchema,
} from './hubspot-batch.js';
import { HUBSPOT_CAPABILITIES } from './hubspot-capabilities.js';
import type { HubspotClient } from './hubspot-client.js';
import { HubspotWritablePropertiesSchema, hubspotField } from './hubspot-field-catalog.js';

/** Whole-call refusals HubSpot explains in its error body; anything else goes to the vendor policy. */
const CALL_REFUSALS = [400, 404, 409, 422];

/**
 * Writes to HubSpot with the CRM v3 batch endpoints: `batch/update` (by record id, or keyed by email /
 * a unique property through `idProperty`) and `batch/upsert` (create when no match), ≤ 100 inputs per
 * call. A 207 names failed inputs in `context.ids`; they are matched back by value, never by position.
 */
export class HubspotDestination implements Destination {
  readonly name: string;
  readonly vendor = 'HubSpot';
  readonly capabilities = HUBSPOT_CAPABILITIES;
  readonly maxBatchSize = 100;
  readonly defaultConcurrency = 4;
  readonly #client: HubspotClient;
  readonly #fields = new FieldCache();

  constructor(name: string, client: HubspotClient) {
    this.name = name;
    this.#client = client;
  }

  fields(object: string, signal?: AbortSignal): Promise<readonly CrmField[]> {
    return this.#fields.get(object, async () => {
      const page = await this.#client.http.json(
        { path: `/crm/v3/properties/${encodeURIComponent(object)}`, ...(signal ? { signal } : {}) },
        HubspotWritablePropertiesSchema,
      );
      return page.results.map((p) => hubspotField(object, p));
    });
  }

  async readCurrent(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, CurrentValues>> {
    const idProperty = target.matchField?.name;
    const properties = [...target.fields.keys(), ...(idProperty ? [idProperty] : [])];
    const res = await this.#client.http.request({
      method: 'POST',
      path: `/crm/v3/objects/${encodeURIComponent(target.object)}/batch/read`,
      json: {
        inputs: records.map((r) => ({ id: r.matchValue })),
        properties,
        propertiesWithHistory: [],
        ...(idProperty ? { idProperty } : {}),
      },
      // 207: some records do not exist; they are simply absent from the answer.
      ...(signal ? { signal } : {}),
    });
    const body = parseJson(res.text, HubspotBatchResultSchema, `HubSpot ${target.object} batch/read`);
    const keyOf = keyLookup(records, target);
    const out = new Map<string, CurrentValues>();
    for (const result of body.results) {
      const matched = idProperty ? result.properties?.[idProperty] : result.id;
      const key = matched === undefined || matched === null ? undefined : keyOf(matched);
      if (key !== undefined) out.set(key, result.properties ?? {});
    }
    return out;
  }

  async write(
    target: WriteTarget,
    records: readonly WriteRecord[],
    signal?: AbortSignal,
  ): Promise<readonly WriteOutcome[]> {
    const idProperty = target.matchField?.name;
    const endpoint = target.operation === 'upsert' ? 'batch/upsert' : 'batch/update';
    const inputs = records.map((r) => ({
      id: r.matchValue,
      ...(idProperty ? { idProperty } : {}),
      properties: Object.fromEntries(
        Object.entries(r.values).map(([name, value]) => [
          name,
          encodeHubspotValue(target.fields.get(name), value),
        ]),
      ),
    }));
    const res = await this.#client.http.request({
      method: 'POST',
      path: `/crm/v3/objects/${encodeURIComponent(target.object)}/${endpoint}`,
      json: { inputs },
      acceptStatuses: CALL_REFUSALS,
      ...(signal ? { signal } : {}),
    });
    if (res.status >= 400) {
      const parsed = HubspotCallErrorSchema.safeParse(safeJson(res.text));
      const body = parsed.success ? parsed.data : {};
      const reason = `HubSpot refused the ${endpoint} call (${res.status}${body.category ? ` ${body.category}` : ''}): ${
        body.message ?? res.text.slice(0, 200)
      }`;
      return records.map((r) => ({ status: 'not-executed', key: r.key, reason }));
    }
    const body = parseJson(res.text, HubspotBatchResultSchema, `HubSpot ${target.object} ${endpoint}`);
    return outcomesOf(body, records, target);
  }
}

/** Per-record outcomes of a 200/207 answer. */
function outcomesOf(
  body: HubspotBatchResult,
  records: readonly WriteRecord[],
  target: WriteTarget,
): WriteOutcome[] {
  const keyOf = keyLookup(records, target);
  const idProperty = target.matchField?.name;
  const outcomes = new Map<string, WriteOutcome>();
  let unattributed: string | null = null;

  for (const error of body.errors) {
    const ids = Object.values(error.context ?? {}).flat();
    const keys = ids.map(keyOf).filter((k): k is string => k !== undefined);
    if (keys.length === 0) unattributed ??= errorReason(error);
    for (const key of keys) outcomes.set(key, { status: 'rejected', key, reason: errorReason(error) });
  }

  const unmatched: HubspotBatchResult['results'] = [];
  for (const result of body.results) {
    const matched = idProperty ? result.properties?.[idProperty] : result.id;
    const key = matched === undefined || matched === null ? undefined : keyOf(matched);
    if (key === undefined || outcomes.has(key)) {
      unmatched.push(result);
      continue;
    }
    outcomes.set(key, { status: 'written', key, crmId: result.id, created: result.new === true });
  }

  // Keyed writes may answer without the key property: when the counts agree, the records HubSpot
  // neither failed nor named are exactly the ones it wrote.
  const rest = records.filter((r) => !outcomes.has(r.key));
  const countsAgree = unattributed === null && rest.length === unmatched.length;
  for (const [i, record] of rest.entries()) {
    if (countsAgree) {
      const result = rest.length === 1 ? unmatched[i] : undefined;
      outcomes.set(record.key, {
        status: 'written',
        key: record.key,
        crmId: result?.id ?? null,
        created: result?.new === true,
      });
    } else {
      outcomes.set(record.key, {
        status: 'not-executed',
        key: record.key,
        reason: unattributed ?? 'HubSpot returned no result for this record',
      });
    }
  }
  return records.map((r) => outcomes.get(r.key)!);
}

/** Maps a value HubSpot echoes (id, or email in any case) back to the record key it came from. */
function keyLookup(
  records: readonly WriteRecord[],
  target: WriteTarget,
): (value: string) => string | undefined {
  const caseless = target.match.by === 'email';
  const byValue = new Map<string, string>();
  for (const r of records) byValue.set(caseless ? r.matchValue.toLowerCase() : r.matchValue, r.key);
  return (value) => byValue.get(caseless ? value.toLowerCase() : value);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
