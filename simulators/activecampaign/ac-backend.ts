import type { SimBackend, SimControl, SimPaging, SimRequest, SimResponse } from '../kit/sim-types.js';
import { forbidden, messageError, paymentRequired } from './ac-errors.js';
import { userJson } from './ac-format.js';
import type { BulkImports } from './ac-import.js';
import type { AcLimits } from './ac-limits.js';
import { serviceUnavailable } from './ac-limits.js';
import {
  contactFieldValues,
  listAccountContacts,
  listAccounts,
  listContacts,
  listCustomData,
  listCustomMeta,
  listDeals,
  listFields,
  listFieldValues,
  listNotes,
  listUsers,
} from './ac-list.js';
import { AC_PAGING } from './ac-paging.js';
import type { AcStore } from './ac-store.js';
import { deleteContact, getContact, updateAccount, writeContact } from './ac-writes.js';

export interface BackendSettings {
  /** The `Api-Token` the account accepts. */
  readonly apiToken: string;
  /** The account has a payment problem: every call answers 402. */
  paymentRequired: boolean;
}

const API = '/api/3';

/** ActiveCampaign's v3 API over the store: auth, then the account's rate limit, then the endpoint. */
export class AcBackend implements SimBackend {
  readonly vendor = 'activecampaign';
  readonly paging: SimPaging = AC_PAGING;
  readonly control: SimControl;
  readonly #store: AcStore;
  readonly #limits: AcLimits;
  readonly #imports: BulkImports;
  readonly #settings: BackendSettings;

  constructor(
    store: AcStore,
    limits: AcLimits,
    imports: BulkImports,
    settings: BackendSettings,
    control: SimControl,
  ) {
    this.#store = store;
    this.#limits = limits;
    this.#imports = imports;
    this.#settings = settings;
    this.control = control;
  }

  handle(req: SimRequest): SimResponse {
    if (req.headers['api-token'] !== this.#settings.apiToken) return forbidden();
    if (this.#settings.paymentRequired) return paymentRequired();
    const limited = this.#limits.admit();
    if (limited) return limited;
    const response = this.#dispatch(req) ?? messageError(404, `No route for ${req.method} ${req.path}`);
    return { ...response, headers: { ...this.#limits.headers(), ...response.headers } };
  }

  #dispatch(req: SimRequest): SimResponse | null {
    const store = this.#store;
    const path = req.path.replace(/\/+$/, '');
    if (!path.startsWith(`${API}/`)) return null;
    const parts = path.slice(API.length + 1).split('/');
    const [resource, id, sub] = parts;
    const q = req.query;
    if (parts.length > 3 || resource === undefined) return null;

    if (resource === 'contacts') {
      if (id === undefined) {
        if (req.method === 'GET') return listContacts(store, q);
        if (req.method === 'POST')
          return writeContact(store, { kind: 'create' }, req.rawBody, this.#imports.blocked);
        return null;
      }
      if (sub === 'fieldValues' && req.method === 'GET') return contactFieldValues(store, Number(id));
      if (sub !== undefined) return null;
      if (req.method === 'GET') return getContact(store, id);
      if (req.method === 'PUT')
        return writeContact(store, { kind: 'update', id }, req.rawBody, this.#imports.blocked);
      if (req.method === 'DELETE') return deleteContact(store, id);
      return null;
    }
    if (resource === 'contact' && id === 'sync' && req.method === 'POST')
      return writeContact(store, { kind: 'sync' }, req.rawBody, this.#imports.blocked);
    if (resource === 'import') {
      if (id === 'bulk_import' && req.method === 'POST')
        return this.#limits.admitImport() ?? this.#imports.submit(req.rawBody);
      if (id === 'bulk_import' && req.method === 'GET') return this.#imports.list();
      if (id === 'info' && req.method === 'GET') return this.#imports.info(q.get('batchId'));
      return null;
    }
    if (resource === 'accounts' && id !== undefined && sub === undefined && req.method === 'PUT')
      return updateAccount(store, id, req.rawBody);
    if (resource === 'users' && id === 'me' && req.method === 'GET') {
      const me = store.users.get(1);
      return me === undefined ? null : { status: 200, json: { user: userJson(me) } };
    }
    if (req.method !== 'GET' || id !== undefined) return null;
    switch (resource) {
      case 'fields':
        return listFields(store, q);
      case 'fieldValues':
        return listFieldValues(store, q);
      case 'accounts':
        return listAccounts(store, q);
      case 'accountContacts':
        return listAccountContacts(store, q);
      case 'accountCustomFieldMeta':
        return listCustomMeta(store, 'account', q);
      case 'accountCustomFieldData':
        return listCustomData(store, 'account', q);
      case 'deals':
        return listDeals(store, q);
      case 'dealCustomFieldMeta':
        return listCustomMeta(store, 'deal', q);
      case 'dealCustomFieldData':
        return listCustomData(store, 'deal', q);
      case 'users':
        return listUsers(store, q);
      case 'notes':
        return listNotes(store, q);
      default:
        return null;
    }
  }

  endpoint(req: SimRequest): string {
    const rest = req.path.replace(/\/+$/, '').slice(API.length);
    return `${req.method} ${API}${rest.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
  }

  rateLimitResponse(): SimResponse {
    return this.#limits.exceeded();
  }

  serverErrorResponse(): SimResponse {
    return serviceUnavailable();
  }

  isWrite(req: SimRequest): boolean {
    return ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method) && req.path.startsWith(`${API}/`);
  }

  /**
   * The records a write names, for the write journal (`GET /_sim/writes`): the contact id in the path
   * (`PUT`/`DELETE /contacts/{id}`), or the email of a `contact/sync` or of each bulk-import row
   * (upserts by email name no id); creates name none yet.
   */
  writtenIds(req: SimRequest): readonly string[] {
    const path = req.path.replace(/\/+$/, '');
    const byId = /^\/api\/3\/contacts\/(\d+)$/.exec(path);
    if (byId) return [byId[1]!];
    try {
      if (path === `${API}/contact/sync`) {
        const email = (JSON.parse(req.rawBody) as { contact?: { email?: unknown } }).contact?.email;
        return typeof email === 'string' ? [email] : [];
      }
      if (path === `${API}/import/bulk_import`) {
        const rows = (JSON.parse(req.rawBody) as { contacts?: { email?: unknown }[] }).contacts ?? [];
        return rows.map((r) => r.email).filter((e): e is string => typeof e === 'string');
      }
    } catch {
      // A body that is not JSON was refused before it wrote anything.
    }
    return [];
  }

  /** ActiveCampaign answers a revoked or wrong API token with 403, not 401 (reference: errors). */
  unauthorizedResponse(): SimResponse {
    return forbidden();
  }
}
