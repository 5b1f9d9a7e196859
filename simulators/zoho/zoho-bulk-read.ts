import { Zip, ZipDeflate } from 'fflate';
import type { SimResponse } from '../kit/sim-types.js';
import { invalidModule, zohoError } from './zoho-errors.js';
import { type FieldDef, MODULES, type ModuleName } from './zoho-field-catalog.js';
import type { ZohoLimits } from './zoho-limits.js';
import type { ZohoStore } from './zoho-store.js';
import { parseClientTime } from './zoho-time.js';

type State = 'ADDED' | 'QUEUED' | 'IN PROGRESS' | 'COMPLETED' | 'FAILURE';

interface Job {
  readonly id: string;
  readonly module: ModuleName;
  readonly fields: readonly string[];
  readonly page: number;
  /** On the simulator's clock: `/_sim/clock/advance` moves a job on, as it moves records' times. */
  readonly createdAt: number;
  /** `jobMs` when the job was created (a later setting does not change a job under way). */
  readonly durationMs: number;
  /** The records of this page, chosen when the job was created (in id order). */
  readonly slots: readonly number[];
  readonly moreRecords: boolean;
  readonly criteria: unknown;
}

type Criteria = {
  api_name?: unknown;
  comparator?: unknown;
  value?: unknown;
  group_operator?: unknown;
  group?: unknown;
};

export interface BulkSettings {
  /**
   * How long a job takes from ADDED to COMPLETED, on the simulator's clock (the wall clock plus what
   * `/_sim/clock/advance` added): a test that must see every state sets it long and advances the clock.
   */
  jobMs: number;
  /** Rows per job (Zoho: 200,000); a further page is a new job. Smaller in tests. */
  rowsPerJob: number;
  /** Jobs whose module is listed here end in FAILURE (a test of the failure path). */
  failModules: string[];
}

/**
 * Bulk Read (`/crm/bulk/v8/read`): create a job for a module, fields and criteria → poll its state
 * (ADDED → QUEUED → IN PROGRESS → COMPLETED over `jobMs` of the simulator's clock) → download a ZIP
 * holding one CSV (id column always, up to 200,000 rows; `result.more_records` means the next page is a new job with `page` or
 * `page_token`). The ZIP is generated while it is sent (streaming deflate), never held whole.
 */
export class ZohoBulkRead {
  readonly #store: ZohoStore;
  readonly #limits: ZohoLimits;
  readonly settings: BulkSettings;
  readonly #jobs = new Map<string, Job>();
  #next = 1;

  constructor(store: ZohoStore, limits: ZohoLimits, settings: BulkSettings) {
    this.#store = store;
    this.#limits = limits;
    this.settings = settings;
  }

  create(rawBody: string): SimResponse {
    let body: {
      query?: {
        module?: { api_name?: unknown };
        fields?: unknown;
        criteria?: unknown;
        page?: unknown;
        page_token?: unknown;
      };
    };
    try {
      body = JSON.parse(rawBody) as typeof body;
    } catch {
      return zohoError(400, 'INVALID_DATA', 'body is not valid JSON');
    }
    const query = body.query;
    const name = query?.module?.api_name;
    if (typeof name !== 'string')
      return zohoError(400, 'REQUIRED_PARAM_MISSING', 'module is required', { api_name: 'module' });
    const module = MODULES.find((m) => m === name);
    if (module === undefined) return invalidModule(name);
    const fields = Array.isArray(query?.fields)
      ? query.fields.filter((f): f is string => typeof f === 'string')
      : this.#store.fields(module).map((f) => f.api_name);
    for (const f of fields) {
      if (f !== 'id' && this.#store.field(module, f) === undefined) {
        return zohoError(400, 'INVALID_DATA', 'invalid field', { api_name: f });
      }
    }
    let page = typeof query?.page === 'number' ? query.page : 1;
    if (typeof query?.page_token === 'string') {
      const decoded = Number(
        Buffer.from(query.page_token, 'base64url')
          .toString('utf8')
          .replace(/^page:/, ''),
      );
      if (!Number.isInteger(decoded) || decoded < 1)
        return zohoError(400, 'INVALID_DATA', 'invalid page token', { api_name: 'page_token' });
      page = decoded;
    }
    const table = this.#store.table(module);
    const matching: number[] = [];
    const criteria = query?.criteria ?? null;
    for (const slot of table.live())
      if (criteria === null || this.#matches(module, slot, criteria as Criteria)) matching.push(slot);
    const start = (page - 1) * this.settings.rowsPerJob;
    const id = `41508680100${String(this.#next++).padStart(8, '0')}`;
    const now = this.#store.clock.now();
    this.#jobs.set(id, {
      id,
      module,
      fields: ['id', ...fields.filter((f) => f !== 'id')],
      page,
      createdAt: now,
      durationMs: this.settings.jobMs,
      slots: matching.slice(start, start + this.settings.rowsPerJob),
      moreRecords: start + this.settings.rowsPerJob < matching.length,
      criteria,
    });
    const admin = this.#store.users[0]!;
    return {
      status: 201,
      json: {
        data: [
          {
            status: 'success',
            code: 'ADDED_SUCCESSFULLY',
            message: 'Added successfully.',
            details: {
              id,
              operation: 'read',
              state: 'ADDED',
              created_by: { id: admin.id, name: admin.full_name },
              created_time: this.#store.time.format(now),
            },
          },
        ],
        info: {},
      },
    };
  }

  details(id: string): SimResponse {
    const job = this.#jobs.get(id);
    if (job === undefined)
      return zohoError(404, 'RESOURCE_NOT_FOUND', 'The requested resource is not found', { id });
    const state = this.#state(job);
    const admin = this.#store.users[0]!;
    return {
      status: 200,
      json: {
        data: [
          {
            id: job.id,
            operation: 'read',
            state,
            query: {
              module: { api_name: job.module },
              page: job.page,
              fields: job.fields,
              criteria: job.criteria,
            },
            created_by: { id: admin.id, name: admin.full_name },
            created_time: this.#store.time.format(job.createdAt),
            file_type: 'csv',
            ...(state === 'COMPLETED'
              ? {
                  result: {
                    page: job.page,
                    count: job.slots.length,
                    per_page: this.settings.rowsPerJob,
                    download_url: `/crm/bulk/v8/read/${job.id}/result`,
                    more_records: job.moreRecords,
                    ...(job.moreRecords
                      ? { next_page_token: Buffer.from(`page:${job.page + 1}`).toString('base64url') }
                      : {}),
                  },
                }
              : {}),
          },
        ],
      },
    };
  }

  download(id: string): SimResponse {
    const job = this.#jobs.get(id);
    if (job === undefined)
      return zohoError(404, 'RESOURCE_NOT_FOUND', 'The requested resource is not found', { id });
    if (this.#state(job) !== 'COMPLETED')
      return zohoError(400, 'INVALID_REQUEST', 'the job is not completed yet', { id });
    if (!this.#limits.admitDownload()) {
      return zohoError(429, 'TOO_MANY_REQUESTS', 'You can download at most 10 files per minute', {});
    }
    return {
      status: 200,
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${job.id}.zip"`,
      },
      stream: this.#zip(job),
    };
  }

  #state(job: Job): State {
    if (this.settings.failModules.includes(job.module)) return 'FAILURE';
    const age = this.#store.clock.now() - job.createdAt;
    const ms = job.durationMs;
    return age >= ms ? 'COMPLETED' : age >= ms / 2 ? 'IN PROGRESS' : age >= ms / 4 ? 'QUEUED' : 'ADDED';
  }

  async *#zip(job: Job): AsyncGenerator<Uint8Array> {
    const chunks: Uint8Array[] = [];
    const zip = new Zip((error, data) => {
      if (error) throw error;
      chunks.push(data);
    });
    const file = new ZipDeflate(`${job.id}.csv`, { level: 1 });
    zip.add(file);
    const store = this.#store;
    const defs = job.fields.map((f) => store.field(job.module, f));
    const encoder = new TextEncoder();
    let text = `${job.fields.map(quote).join(',')}\n`;
    for (let i = 0; i < job.slots.length; i++) {
      const slot = job.slots[i]!;
      const record = store.output(job.module, slot, job.fields);
      text += `${job.fields.map((f, k) => quote(csvValue(defs[k], record[f]))).join(',')}\n`;
      if (text.length > 256 * 1024 || i === job.slots.length - 1) {
        file.push(encoder.encode(text), false);
        text = '';
        yield* chunks.splice(0);
      }
    }
    file.push(encoder.encode(text), true);
    zip.end();
    yield* chunks.splice(0);
  }

  #matches(module: ModuleName, slot: number, c: Criteria): boolean {
    if (Array.isArray(c.group)) {
      const parts = c.group.map((g) => this.#matches(module, slot, g as Criteria));
      return c.group_operator === 'or' ? parts.some(Boolean) : parts.every(Boolean);
    }
    const table = this.#store.table(module);
    const field = String(c.api_name);
    const raw =
      field === 'Modified_Time'
        ? table.modifiedMs(slot)
        : field === 'Created_Time'
          ? table.createdMs(slot)
          : field === 'id'
            ? table.idOf(slot)
            : table.values(slot)[field];
    const v =
      typeof raw === 'object' && raw !== null && 'id' in raw ? String((raw as { id: unknown }).id) : raw;
    const num = (x: unknown): number =>
      typeof x === 'number' ? x : (parseClientTime(String(x)) ?? Number(x));
    const values = Array.isArray(c.value) ? c.value : [c.value];
    switch (c.comparator) {
      case 'equal':
        return String(v) === String(c.value);
      case 'not_equal':
        return String(v) !== String(c.value);
      case 'in':
        return values.map(String).includes(String(v));
      case 'greater_than':
        return num(v) > num(c.value);
      case 'greater_equal':
        return num(v) >= num(c.value);
      case 'less_than':
        return num(v) < num(c.value);
      case 'less_equal':
        return num(v) <= num(c.value);
      case 'between':
        return num(v) >= num(values[0]) && num(v) <= num(values[1]);
      case 'contains':
        return typeof v === 'string' && v.includes(String(c.value));
      case 'starts_with':
        return typeof v === 'string' && v.startsWith(String(c.value));
      default:
        return false;
    }
  }
}

function csvValue(def: FieldDef | undefined, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(';');
  if (typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
  if (def?.data_type === 'multiselectpicklist' && typeof value === 'string') return value;
  return String(value);
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
