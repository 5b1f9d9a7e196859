import type { HttpClient } from '../../http/http-client.js';
import type { QueryValue } from '../../http/http-request.js';
import {
  type PipedriveField,
  PipedriveFieldsPageSchema,
  PipedriveLeadsPageSchema,
  type PipedriveUser,
  PipedriveUsersSchema,
  type PipedriveV2Page,
  PipedriveV2PageSchema,
  v1More,
} from './pipedrive-schemas.js';

/** Pipedrive's maximum page size for v2 cursors and v1 offsets alike. */
export const PAGE_LIMIT = 500;

export type V2Entity = 'persons' | 'organizations' | 'deals' | 'activities';
export type FieldsEndpoint = 'personFields' | 'organizationFields' | 'dealFields';

/** Typed Pipedrive calls over the shared HTTP client (v2 where it exists, v1 for the rest). */
export class PipedriveClient {
  readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** One page of `GET /api/v2/{entity}`. */
  listPage(
    entity: V2Entity,
    query: Readonly<Record<string, QueryValue>>,
    cursor: string | undefined,
    signal?: AbortSignal,
  ): Promise<PipedriveV2Page> {
    return this.http.json(
      {
        path: `/api/v2/${entity}`,
        query: { ...query, limit: PAGE_LIMIT, cursor },
        endpoint: `GET /api/v2/${entity}`,
        ...(signal ? { signal } : {}),
      },
      PipedriveV2PageSchema,
    );
  }

  /** Every field definition of an object (standard and custom), through v1 offset paging. */
  async fields(endpoint: FieldsEndpoint, signal?: AbortSignal): Promise<PipedriveField[]> {
    const out: PipedriveField[] = [];
    for (let start = 0; ; ) {
      const page = await this.http.json(
        { path: `/v1/${endpoint}`, query: { start, limit: PAGE_LIMIT }, ...(signal ? { signal } : {}) },
        PipedriveFieldsPageSchema,
      );
      out.push(...(page.data ?? []));
      const { more, nextStart } = v1More(page.additional_data);
      const next = nextStart ?? start + PAGE_LIMIT;
      if (!more || next <= start || (page.data ?? []).length === 0) return out;
      start = next;
    }
  }

  /** One page of `GET /v1/leads` (offset paging, oldest first). */
  leadsPage(start: number, updatedSince: string | undefined, signal?: AbortSignal) {
    return this.http.json(
      {
        path: '/v1/leads',
        query: { start, limit: PAGE_LIMIT, updated_since: updatedSince },
        ...(signal ? { signal } : {}),
      },
      PipedriveLeadsPageSchema,
    );
  }

  async users(signal?: AbortSignal): Promise<readonly PipedriveUser[]> {
    const res = await this.http.json(
      { path: '/v1/users', ...(signal ? { signal } : {}) },
      PipedriveUsersSchema,
    );
    return res.data;
  }
}
