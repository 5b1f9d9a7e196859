import { TideError } from '../core/tide-error.js';

/**
 * Follows opaque next-page tokens and refuses to loop: a token identical to one already used means the
 * API (or a proxy) is replaying a page, and following it would never end.
 */
export async function* paginate<P>(
  what: string,
  fetchPage: (token: string | undefined) => Promise<P>,
  nextToken: (page: P) => string | null | undefined,
): AsyncGenerator<P> {
  const used = new Set<string>();
  let token: string | undefined;
  for (;;) {
    const page = await fetchPage(token);
    yield page;
    const next = nextToken(page);
    if (next === null || next === undefined || next === '') return;
    if (used.has(next))
      throw new TideError(
        'pagination_loop',
        `${what}: the next-page token repeats (${next.slice(0, 40)}); stopping instead of looping`,
      );
    used.add(next);
    token = next;
  }
}
