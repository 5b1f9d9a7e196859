import type { FieldsEndpoint, PipedriveClient } from './pipedrive-client.js';
import { type CustomFieldMap, customFieldMap } from './pipedrive-columns.js';
import { STANDARD_COLUMNS } from './pipedrive-field-catalog.js';
import { pipedriveTime } from './pipedrive-record.js';
import type { PipedriveField } from './pipedrive-schemas.js';

/** A stream's field definitions, read once per run from its v1 *Fields endpoint. */
export class PipedriveFields {
  readonly #client: PipedriveClient;
  readonly #endpoint: FieldsEndpoint | null;
  readonly #stream: string;
  #loaded: Promise<{ fields: PipedriveField[]; map: CustomFieldMap }> | null = null;

  constructor(client: PipedriveClient, stream: string, endpoint: FieldsEndpoint | null) {
    this.#client = client;
    this.#stream = stream;
    this.#endpoint = endpoint;
  }

  async map(): Promise<CustomFieldMap> {
    return (await this.#load()).map;
  }

  /**
   * Custom fields whose definition changed (renamed, options edited) after `sinceMs` but that existed
   * before it: records already loaded hold their values under the old definition. A field added since
   * is not listed: no record loaded earlier can have a value for it. Returns the newest change time.
   */
  async changedAfter(sinceMs: number): Promise<{ names: string[]; latestMs: number } | null> {
    const { fields, map } = await this.#load();
    const names: string[] = [];
    let latestMs = Number.NEGATIVE_INFINITY;
    for (const f of fields) {
      if (!map.byKey.has(f.key)) continue;
      const added = pipedriveTime(f.add_time);
      const updated = pipedriveTime(f.update_time);
      if (updated === null || updated <= sinceMs || (added !== null && added > sinceMs)) continue;
      names.push(f.name);
      latestMs = Math.max(latestMs, updated);
    }
    return names.length === 0 ? null : { names, latestMs };
  }

  #load(): Promise<{ fields: PipedriveField[]; map: CustomFieldMap }> {
    this.#loaded ??= (async () => {
      const fields = this.#endpoint === null ? [] : await this.#client.fields(this.#endpoint);
      return { fields, map: customFieldMap(fields, STANDARD_COLUMNS[this.#stream] ?? []) };
    })();
    return this.#loaded;
  }
}
