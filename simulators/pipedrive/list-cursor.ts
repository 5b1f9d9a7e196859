/**
 * v2's `cursor`: opaque to clients (base64 of JSON, as in Pipedrive's examples). Here it is a keyset
 * position, the sort key and id of the last row served, so paging stays correct while records change
 * and finding the next page is a binary search.
 */
export interface ListPosition {
  readonly sortBy: 'id' | 'update_time' | 'add_time';
  readonly direction: 'asc' | 'desc';
  readonly key: number;
  readonly id: number;
}

export function encodeCursor(p: ListPosition): string {
  return Buffer.from(JSON.stringify({ s: p.sortBy, d: p.direction, k: p.key, i: p.id })).toString('base64');
}

export function decodeCursor(cursor: string): ListPosition | null {
  try {
    const raw = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as Record<string, unknown>;
    const { s, d, k, i } = raw;
    if (s !== 'id' && s !== 'update_time' && s !== 'add_time') return null;
    if (d !== 'asc' && d !== 'desc') return null;
    if (typeof k !== 'number' || typeof i !== 'number') return null;
    return { sortBy: s, direction: d, key: k, id: i };
  } catch {
    return null;
  }
}
