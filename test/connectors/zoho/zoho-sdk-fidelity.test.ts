import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Z from '@zohocrm/typescript-sdk-8.0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StartedZohoSimulator,
  startZohoSimulator,
} from '../../../simulators/zoho/start-zoho-simulator.js';
import { truthOf } from './zoho-harness.js';

/**
 * Zoho's own TypeScript SDK (@zohocrm/typescript-sdk-8.0, pinned) against the simulator, pointed at it
 * as PROTOCOL-FACTS-ZOHO… §4 describes: an Environment on the simulator's base URL and an access token
 * from its accounts server. If the simulator's shapes drift from Zoho's, the SDK's own parsing fails.
 */
let sim: StartedZohoSimulator;
let dir: string;

async function listPage(params: Array<[Z.Param<unknown>, unknown]>, since?: Date) {
  const map = new Z.ParameterMap();
  for (const [p, v] of params) await map.add(p, v);
  const headers = new Z.HeaderMap();
  if (since) await headers.add(Z.Record.GetRecordsHeader.IF_MODIFIED_SINCE, since);
  return new Z.Record.RecordOperations('Contacts').getRecords(map, headers);
}

beforeAll(async () => {
  // ~2,150 contacts: more than the 2,000 rows `page` reaches, so the SDK has to use page_token.
  sim = await startZohoSimulator({ seed: 3, scale: 7000 });
  const res = await fetch(
    `${sim.baseUrl}/oauth/v2/token?grant_type=refresh_token&client_id=${sim.clientId}&client_secret=${sim.clientSecret}&refresh_token=${sim.refreshToken}`,
    { method: 'POST' },
  );
  const { access_token } = (await res.json()) as { access_token: string };
  dir = mkdtempSync(join(tmpdir(), 'tide-zoho-sdk-'));
  const environment = new Z.Environment(sim.baseUrl, `${sim.baseUrl}/oauth/v2/token`, sim.baseUrl);
  const token = new Z.OAuthBuilder().accessToken(access_token).findUser(false).build();
  await (await new Z.InitializeBuilder())
    .environment(environment)
    .token(token)
    .store(new Z.FileStore(join(dir, 'tokens.txt')))
    .resourcePath(dir)
    .initialize();
});

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Zoho TypeScript SDK against the Zoho simulator', () => {
  it('reads the fields first, then lists every contact: pages 1–10, then page_token past 2,000 rows', async () => {
    const truth = (await truthOf(sim, 'Contacts')).filter((r) => !r.deleted);
    expect(truth.length).toBeGreaterThan(2000);
    const ids = new Set<string>();
    let token: string | null = null;
    for (let page = 1; ; page++) {
      const fields: [Z.Param<unknown>, unknown] = [
        Z.Record.GetRecordsParam.FIELDS,
        'Last_Name,Email,Modified_Time',
      ];
      const res = await listPage(
        token === null
          ? [fields, [Z.Record.GetRecordsParam.PAGE, page], [Z.Record.GetRecordsParam.PER_PAGE, 200]]
          : [fields, [Z.Record.GetRecordsParam.PAGE_TOKEN, token], [Z.Record.GetRecordsParam.PER_PAGE, 200]],
      );
      const body = res.getObject();
      if (!(body instanceof Z.Record.ResponseWrapper))
        throw new Error(`page ${page}: ${res.getStatusCode()}`);
      for (const record of body.getData()) ids.add(String(record.getId()));
      if (!body.getInfo().getMoreRecords()) break;
      if (page >= 10) token = body.getInfo().getNextPageToken();
    }
    expect(ids.size).toBe(truth.length);
    const stats = await sim.control.stats();
    expect(stats.byEndpoint['GET /crm/v8/settings/fields']).toBeGreaterThan(0);

    // Page 11 without a token: Zoho's own 400, parsed by the SDK as an APIException.
    const refused = await listPage([
      [Z.Record.GetRecordsParam.FIELDS, 'Last_Name'],
      [Z.Record.GetRecordsParam.PAGE, 11],
    ]);
    expect(refused.getStatusCode()).toBe(400);
    const error = refused.getObject();
    expect(error).toBeInstanceOf(Z.Record.APIException);
    if (error instanceof Z.Record.APIException)
      expect(error.getCode().getValue()).toBe('DISCRETE_PAGINATION_LIMIT_EXCEEDED');
  });

  it('If-Modified-Since returns only what changed, and 304 when nothing did', async () => {
    const { now } = (await sim.control.advanceClock(60_000)) as { now: string };
    const changed = (await sim.control.mutate({ object: 'Contacts', update: 5 })) as { updated: string[] };
    const res = await listPage(
      [[Z.Record.GetRecordsParam.FIELDS, 'Last_Name,Modified_Time']],
      new Date(Date.parse(now) - 1000),
    );
    const body = res.getObject();
    if (!(body instanceof Z.Record.ResponseWrapper)) throw new Error(`status ${res.getStatusCode()}`);
    expect(
      body
        .getData()
        .map((r) => String(r.getId()))
        .sort(),
    ).toEqual([...changed.updated].sort());
    const later = await listPage(
      [[Z.Record.GetRecordsParam.FIELDS, 'Last_Name']],
      new Date(Date.parse(now) + 3_600_000),
    );
    expect(later.getStatusCode()).toBe(304);
  });

  it('updates 100 records in one call, in input order', async () => {
    const targets = (await truthOf(sim, 'Contacts')).filter((r) => !r.deleted).slice(0, 100);
    const body = new Z.Record.BodyWrapper();
    body.setData(
      targets.map((t, i) => {
        const record = new Z.Record.Record();
        record.setId(BigInt(t.id));
        record.addKeyValue('Tide_Score', i);
        return record;
      }),
    );
    const res = await new Z.Record.RecordOperations('Contacts').updateRecords(body, new Z.HeaderMap());
    expect(res.getStatusCode()).toBe(200);
    const actions = res.getObject();
    if (!(actions instanceof Z.Record.ActionWrapper)) throw new Error('no ActionWrapper');
    const results = actions.getData();
    expect(results).toHaveLength(100);
    results.forEach((r, i) => {
      expect(r).toBeInstanceOf(Z.Record.SuccessResponse);
      if (r instanceof Z.Record.SuccessResponse)
        expect(String(r.getDetails().get('id'))).toBe(targets[i]!.id);
    });
    const after = new Map((await truthOf(sim, 'Contacts')).map((r) => [r.id, r]));
    expect(after.get(targets[42]!.id)?.Tide_Score).toBe(42);
  });

  it('upserts with a duplicate check on Email: one update, one insert', async () => {
    const existing = (await truthOf(sim, 'Contacts')).find((r) => !r.deleted && typeof r.Email === 'string')!;
    const body = new Z.Record.BodyWrapper();
    const match = new Z.Record.Record();
    match.addKeyValue('Email', String(existing.Email).trim().toUpperCase());
    match.addKeyValue('Tide_Score', 77);
    const fresh = new Z.Record.Record();
    fresh.addKeyValue('Email', 'brand.new@sdk.example.com');
    fresh.addKeyValue('Last_Name', 'Newperson');
    body.setData([match, fresh]);
    body.setDuplicateCheckFields(['Email']);
    const res = await new Z.Record.RecordOperations('Contacts').upsertRecords(body, new Z.HeaderMap());
    const actions = res.getObject();
    if (!(actions instanceof Z.Record.ActionWrapper)) throw new Error(`status ${res.getStatusCode()}`);
    const [updated, inserted] = actions.getData();
    expect(updated).toBeInstanceOf(Z.Record.SuccessResponse);
    expect(inserted).toBeInstanceOf(Z.Record.SuccessResponse);
    if (updated instanceof Z.Record.SuccessResponse)
      expect(String(updated.getDetails().get('id'))).toBe(existing.id);
    const after = await truthOf(sim, 'Contacts');
    expect(after.find((r) => r.id === existing.id)?.Tide_Score).toBe(77);
    expect(after.filter((r) => r.Email === 'brand.new@sdk.example.com')).toHaveLength(1);
  });

  it('gets a 429 TOO_MANY_REQUESTS when the credits are spent', async () => {
    await sim.control.configure({ dailyCredits: 1 });
    try {
      await listPage([[Z.Record.GetRecordsParam.FIELDS, 'Last_Name']]);
      const res = await listPage([[Z.Record.GetRecordsParam.FIELDS, 'Last_Name']]);
      expect(res.getStatusCode()).toBe(429);
      const error = res.getObject();
      expect(error).toBeInstanceOf(Z.Record.APIException);
      if (error instanceof Z.Record.APIException)
        expect(error.getCode().getValue()).toBe('TOO_MANY_REQUESTS');
    } finally {
      await sim.control.configure({ dailyCredits: 0 });
    }
  });
});
