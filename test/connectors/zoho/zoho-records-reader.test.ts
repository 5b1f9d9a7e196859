import { describe, expect, it } from 'vitest';
import type { PageQuery } from '../../../connectors/zoho/zoho-client.js';
import { ZohoRecordReader } from '../../../connectors/zoho/zoho-record.js';
import { readModifiedRecords } from '../../../connectors/zoho/zoho-records-reader.js';
import type { RecordsPage } from '../../../connectors/zoho/zoho-schemas.js';
import { isTideError } from '../../../core/tide-error.js';

/**
 * The Records API reader against scripted answers: what it asks next after a page without records
 * that still says more_records. Zoho answers the same request the same way, so such a page is
 * continued by its next_page_token (or the next page), never asked for again.
 */
const reader = new ZohoRecordReader('Contacts', [
  { api_name: 'id', data_type: 'bigint' },
  { api_name: 'Modified_Time', data_type: 'datetime' },
]);

function record(id: number, second: number): { id: string; Modified_Time: string } {
  return { id: String(4150868002000000000 + id), Modified_Time: `2026-01-01T10:00:${second}+05:30` };
}

/** Serves `pages` in order, noting what each request asked for. */
function scripted(pages: readonly RecordsPage[]) {
  const asked: string[] = [];
  let next = 0;
  return {
    asked,
    client: {
      async recordsPage(_module: string, q: PageQuery): Promise<RecordsPage> {
        asked.push(q.pageToken === undefined ? `page ${q.page}` : `token ${q.pageToken}`);
        const page = pages[next++];
        if (page === undefined) throw new Error(`asked once more than scripted: ${asked.join(', ')}`);
        return page;
      },
    },
  };
}

async function readAll(client: ReturnType<typeof scripted>['client']): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of readModifiedRecords({ client, module: 'Contacts', reader, fromMs: null })) {
    ids.push(...page.map((r) => r.id));
  }
  return ids;
}

const empty = (token: string | null): RecordsPage => ({
  data: [],
  info: { more_records: true, next_page_token: token },
});

describe('Zoho Records API reader', () => {
  it('follows the next_page_token of a page without records that says more_records', async () => {
    const s = scripted([
      empty('T1'),
      empty('T2'),
      { data: [record(1, 10), record(2, 11)], info: { more_records: false } },
    ]);
    expect(await readAll(s.client)).toEqual([record(1, 10).id, record(2, 11).id]);
    expect(s.asked).toEqual(['page 1', 'token T1', 'token T2']);
  });

  it('moves to the next page when such a page carries no token, and stops on a repeated token', async () => {
    const s = scripted([empty(null), { data: [record(3, 12)], info: { more_records: false } }]);
    expect(await readAll(s.client)).toEqual([record(3, 12).id]);
    expect(s.asked).toEqual(['page 1', 'page 2']);

    const loop = scripted([empty('T'), empty('T')]);
    const error = await readAll(loop.client).catch((e: unknown) => e);
    expect(isTideError(error) && error.code).toBe('pagination_loop');
  });
});
