import type { StartedDynamicsSimulator } from '../../../simulators/dynamics/start-dynamics-simulator.js';

/** Raw HTTP against the simulator, as a client without Tide would talk to Dataverse. */
export interface RawApi {
  readonly token: string;
  get(
    path: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }>;
  send(
    method: string,
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; text: string }>;
}

export async function tokenFor(
  sim: StartedDynamicsSimulator,
  form: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${sim.baseUrl}/${form.tenant ?? sim.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
      scope: `${sim.baseUrl}/.default`,
      ...Object.fromEntries(Object.entries(form).filter(([k]) => k !== 'tenant')),
    }),
  });
}

export async function rawApi(sim: StartedDynamicsSimulator): Promise<RawApi> {
  const token = ((await (await tokenFor(sim)).json()) as { access_token: string }).access_token;
  const url = (path: string) => (path.startsWith('http') ? path : `${sim.baseUrl}/api/data/v9.2/${path}`);
  const auth = { authorization: `Bearer ${token}`, accept: 'application/json', 'odata-version': '4.0' };
  return {
    token,
    async get(path, headers = {}) {
      const res = await fetch(url(path), { headers: { ...auth, ...headers } });
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      };
    },
    async send(method, path, body, headers = {}) {
      const res = await fetch(url(path), {
        method,
        headers: { ...auth, 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, headers: res.headers, text: await res.text() };
    },
  };
}

/** A `$batch` body of `application/http` parts (and change sets), CRLF line ends. */
export function batchBody(boundary: string, parts: readonly (string | readonly string[])[]): string {
  const lines: string[] = [];
  const request = (r: string) => [
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    r,
  ];
  for (const part of parts) {
    lines.push(`--${boundary}`);
    if (typeof part === 'string') lines.push(...request(part));
    else {
      const cs = `changeset_${boundary}`;
      lines.push(`Content-Type: multipart/mixed; boundary=${cs}`, '');
      for (const r of part) lines.push(`--${cs}`, ...request(r));
      lines.push(`--${cs}--`);
    }
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\r\n');
}

export function patch(
  id: string,
  body: unknown,
  headers: Record<string, string> = { 'If-Match': '*' },
): string {
  return [
    `PATCH /api/data/v9.2/contacts(${id}) HTTP/1.1`,
    'Content-Type: application/json',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    JSON.stringify(body),
  ].join('\r\n');
}

/** Status lines of a multipart response, in order. */
export function partStatuses(text: string): number[] {
  return [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
}
