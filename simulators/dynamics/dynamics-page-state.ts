import type { ReadRequest } from './dynamics-read-request.js';

/** Where a paged read continues: packed into the `$skiptoken` paging cookie. */
export type PageState =
  | { readonly m: 'list'; readonly page: number; readonly after: readonly unknown[] }
  | { readonly m: 'snapshot'; readonly page: number; readonly after: number }
  | {
      readonly m: 'delta';
      readonly page: number;
      readonly from: number;
      readonly to: number;
      readonly offset: number;
    };

/** A next link: the same query with the paging cookie Dataverse puts in `$skiptoken`. */
export function link(req: ReadRequest, state: PageState): string {
  const q = new URLSearchParams(req.query);
  q.delete('$skiptoken');
  q.delete('$deltatoken');
  const cookie = Buffer.from(JSON.stringify(state)).toString('base64url');
  q.set(
    '$skiptoken',
    `<cookie pagenumber="${state.page}" pagingcookie="${cookie}" istracking="${state.m !== 'list' ? 'True' : 'False'}" />`,
  );
  return `${req.root}/${req.table.entity.entitySetName}?${odataQuery(q)}`;
}

/** A query string as Dataverse writes its links: `$` options verbatim, values percent-encoded. */
export function odataQuery(q: URLSearchParams): string {
  const encode = (v: string) =>
    encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return [...q].map(([k, v]) => `${k}=${encode(v)}`).join('&');
}

export function decodeState(token: string | null): PageState | null {
  if (token === null) return null;
  const m = /pagingcookie="([A-Za-z0-9_-]+)"/.exec(token);
  if (m === null) return null;
  try {
    return JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as PageState;
  } catch {
    return null;
  }
}
