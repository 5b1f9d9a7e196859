import type { StartedSalesforceSimulator } from '../../../simulators/salesforce/start-salesforce-simulator.js';

export interface SimCall {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

export interface QueryBody {
  readonly totalSize: number;
  readonly done: boolean;
  readonly nextRecordsUrl?: string;
  readonly records: Record<string, unknown>[];
}
export type ErrorBody = { readonly errorCode: string; readonly message: string }[];
export interface JobBody {
  readonly id: string;
  readonly state: string;
  readonly errorMessage?: string;
  readonly numberRecordsProcessed: number;
}
export interface SaveResult {
  readonly id?: string;
  readonly success: boolean;
  readonly created?: boolean;
  readonly errors: { readonly statusCode: string; readonly message: string; readonly fields: string[] }[];
}

/** Raw HTTP against the simulator, the way a client would talk to an org. */
export class SimApi {
  readonly #sim: StartedSalesforceSimulator;
  token = '';

  constructor(sim: StartedSalesforceSimulator) {
    this.#sim = sim;
  }

  static async login(sim: StartedSalesforceSimulator): Promise<SimApi> {
    const api = new SimApi(sim);
    const res = await api.oauth({
      grant_type: 'client_credentials',
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
    });
    api.token = (res.json as { access_token: string }).access_token;
    return api;
  }

  oauth(form: Record<string, string>): Promise<SimCall> {
    return this.raw('POST', '/services/oauth2/token', {
      body: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      auth: false,
    });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<SimCall> {
    return this.raw('GET', path.startsWith('/services') ? path : `/services/data/v62.0${path}`, { headers });
  }

  query(soql: string, options: { all?: boolean; batchSize?: number } = {}): Promise<SimCall> {
    return this.get(`/${options.all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`, {
      ...(options.batchSize ? { 'sforce-query-options': `batchSize=${options.batchSize}` } : {}),
    });
  }

  send(method: string, path: string, body: unknown): Promise<SimCall> {
    return this.raw(method, `/services/data/v62.0${path}`, {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
  }

  async raw(
    method: string,
    path: string,
    options: { body?: string; headers?: Record<string, string>; auth?: boolean } = {},
  ): Promise<SimCall> {
    const res = await fetch(`${this.#sim.baseUrl}${path}`, {
      method,
      headers: {
        ...(options.auth === false ? {} : { authorization: `Bearer ${this.token}` }),
        ...options.headers,
      },
      body: options.body ?? null,
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // CSV and empty bodies.
    }
    return { status: res.status, headers: res.headers, text, json };
  }
}
