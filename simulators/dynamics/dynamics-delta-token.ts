import { odataQuery } from './dynamics-page-state.js';
import type { ReadRequest } from './dynamics-read-request.js';

/** A delta link: the read's `$select` and a `$deltatoken` for `version`, issued at `nowMs`. */
export function deltaLink(req: ReadRequest, version: number, nowMs: number): string {
  const q = new URLSearchParams();
  const select = req.query.get('$select');
  if (select !== null) q.set('$select', select);
  q.set('$deltatoken', `${version}!${tokenTime(nowMs)}`);
  return `${req.root}/${req.table.entity.entitySetName}?${odataQuery(q)}`;
}

/** `MM/dd/yyyy HH:mm:ss`, the time part of Dataverse's delta tokens. */
function tokenTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export function parseDeltaToken(
  token: string,
): { readonly version: number; readonly issuedMs: number } | null {
  const m = /^(\d+)!(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d)$/.exec(token);
  if (m === null) return null;
  const [, version, mo, d, y, h, mi, s] = m;
  return {
    version: Number(version),
    issuedMs: Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)),
  };
}
