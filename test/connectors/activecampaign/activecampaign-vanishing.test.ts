import { afterEach, describe, expect, it } from 'vitest';
import type { RecordBatch } from '../../../core/record.js';
import {
  type ActiveCampaignTestbed,
  activecampaignOn,
  activecampaignTestbed,
  mutate,
  readContext,
  truthRows,
} from './activecampaign-harness.js';
import { RecordingProxy } from './recording-proxy.js';

let bed: ActiveCampaignTestbed | null = null;
let proxy: RecordingProxy | null = null;
afterEach(async () => {
  await proxy?.close();
  await bed?.sim.close();
  bed = null;
  proxy = null;
});

/**
 * Deals page by offset, each page re-reading five rows of the one before. Here the first 20 deals
 * are deleted just before the second page is fetched: every later row moves up 20 places, further
 * than the overlap reaches, so the walk may have skipped live deals.
 */
async function vanishingDeals(): Promise<{ b: ActiveCampaignTestbed; deleted: string[] }> {
  const direct = await activecampaignTestbed({ scale: 3000 });
  bed = direct;
  const first20 = (await truthRows(direct.sim, 'deals'))
    .map((r) => Number(r.id))
    .sort((x, y) => x - y)
    .slice(0, 20);
  let done = false;
  const deleted: string[] = [];
  proxy = new RecordingProxy(direct.sim.baseUrl, async (request) => {
    if (done || !request.pathname.endsWith('/deals') || Number(request.searchParams.get('offset') ?? 0) === 0)
      return;
    done = true;
    deleted.push(...(await mutate(direct.sim, { object: 'deals', deleteIds: first20 })).deleted);
  });
  await proxy.start();
  return { b: activecampaignOn({ ...direct.sim, baseUrl: proxy.url }), deleted };
}

async function drain(batches: AsyncIterable<RecordBatch>): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

describe('ActiveCampaign: records vanishing faster than the offset walk can absorb', () => {
  it('a full refresh refuses to replace the table with what it saw', async () => {
    const { b, deleted } = await vanishingDeals();
    const ctx = { ...(await readContext(b, null)), fullRefresh: true };
    await expect(drain(b.stream('deals').read(ctx))).rejects.toThrow(
      /ActiveCampaign deals: records were deleted faster than the full refresh could page past them/,
    );
    expect(deleted).toHaveLength(20);
  });

  it('an incremental read keeps its cursor and lists no ids, so nothing is marked deleted', async () => {
    const { b, deleted } = await vanishingDeals();
    const batches = await drain(b.stream('deals').read(await readContext(b, null)));
    expect(deleted).toHaveLength(20);
    expect(batches.at(-1)?.checkpoint).toBeNull();
    expect(batches.some((batch) => batch.liveIds !== undefined)).toBe(false);
    expect(b.log.text()).toContain('deals vanished during the read');
  });
});
