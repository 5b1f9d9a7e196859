import { z } from 'zod';
import type { ReadRequest } from './dynamics-read-request.js';

const count = z.number().int().nonnegative();

/**
 * Where a paged read continues: packed into the `$skiptoken` paging cookie. The cookie comes back
 * from the client, so it is checked like any input: a tampered one is refused like one Dataverse
 * cannot read (400), never used as page state.
 */
const PageStateSchema = z.discriminatedUnion('m', [
  z.object({ m: z.literal('list'), page: count, after: z.array(z.unknown()).readonly() }).readonly(),
  z.object({ m: z.literal('snapshot'), page: count, after: z.number() }).readonly(),
  z
    .object({ m: z.literal('delta'), page: count, from: z.number(), to: z.number(), offset: count })
    .readonly(),
]);
export type PageState = z.output<typeof PageStateSchema>;

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
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const state = PageStateSchema.safeParse(json);
  return state.success ? state.data : null;
}
