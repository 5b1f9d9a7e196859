import { Client } from '@hubspot/api-client';
import {
  PublicExportViewRequestExportTypeEnum as ExportType,
  PublicExportViewRequestFormatEnum as Format,
  PublicExportViewRequestExportInternalValuesOptionsEnum as InternalValues,
  PublicExportViewRequestLanguageEnum as Language,
} from '@hubspot/api-client/lib/codegen/crm/exports/models/PublicExportViewRequest.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type StartedHubspotSimulator,
  startHubspotSimulator,
} from '../../../simulators/hubspot/start-hubspot-simulator.js';

/**
 * The simulator's CRM exports through the official SDK (@hubspot/api-client 13.5.0,
 * `crm.exports.publicExportsApi`): its deserializers read the simulator's answers (TaskLocator,
 * ActionResponseWithSingleResultURI, error bodies). The SDK's own `start()` cannot send a request at
 * all in 13.5.0 (PublicExportRequest is a oneOf whose class has no attribute map: its serializer throws
 * "typeMap[type].getAttributeTypeMap is not a function"), so starts go through the SDK's generic
 * `apiRequest` (same base path and token) with the body its request model describes.
 */
describe('HubSpot simulator exports through the official SDK', () => {
  let sim: StartedHubspotSimulator;
  let client: Client;

  beforeAll(async () => {
    sim = await startHubspotSimulator({ seed: 13, scale: 300, burstLimit: 0, searchPerSecond: 0 });
    client = new Client({ accessToken: sim.token, basePath: sim.baseUrl, numberOfApiCallRetries: 0 });
  });
  afterAll(() => sim.close());
  afterEach(() => sim.control.configure({ exports: { perDay: 30, scopeGranted: true, jobMs: 1_000 } }));

  const request = (exportName: string) => ({
    exportType: ExportType.View,
    format: Format.Csv,
    exportName,
    objectType: 'CONTACT',
    objectProperties: ['email', 'lastmodifieddate'],
    language: Language.En,
    exportInternalValuesOptions: [InternalValues.Names, InternalValues.Values],
    overrideAssociatedObjectsPerDefinitionPerRowLimit: false,
  });

  const TaskSchema = z.object({ id: z.string().regex(/^\d+$/) });
  const start = async (exportName: string) => {
    const res = await client.apiRequest({
      method: 'POST',
      path: '/crm/v3/exports/export/async',
      body: request(exportName),
    });
    expect(res.status).toBe(202);
    return TaskSchema.parse(await res.json());
  };

  it('13.5.0: the typed start() fails in the SDK before any request (why the tests start through apiRequest)', async () => {
    await sim.control.resetStats();
    await expect(client.crm.exports.publicExportsApi.start(request('typed'))).rejects.toThrow(
      /getAttributeTypeMap/,
    );
    expect((await sim.control.stats()).total).toBe(0);
  });

  it('starts an export, follows its status from PROCESSING to COMPLETE and downloads the CSV without a token', async () => {
    await sim.control.configure({ exports: { jobMs: 2_000 } });
    const task = await start('sdk contacts');
    const first = await client.crm.exports.publicExportsApi.getStatus(Number(task.id));
    expect(first.status).toBe('PROCESSING');
    expect(first.result).toBeUndefined();
    await sim.control.advanceClock(2_000);
    const done = await client.crm.exports.publicExportsApi.getStatus(Number(task.id));
    expect(done.status).toBe('COMPLETE');
    expect(done.completedAt.getTime()).toBeGreaterThanOrEqual(done.startedAt.getTime());
    const file = await fetch(z.string().url().parse(done.result));
    expect(file.headers.get('content-type')).toBe('text/csv');
    const lines = (await file.text()).trim().split('\r\n');
    expect(lines[0]).toBe('hs_object_id,email,lastmodifieddate');
    const live = (await sim.control.truth('contacts')).filter(
      (r) => z.object({ archived: z.boolean() }).parse(r).archived === false,
    );
    expect(lines.length - 1).toBe(live.length);
    expect(lines[1]).toMatch(/^\d+,[^,]*,\d{13}$/);
  });

  it('queues a second export behind the running one (PENDING), as HubSpot runs one at a time', async () => {
    await sim.control.configure({ exports: { jobMs: 5_000 } });
    const a = await start('first');
    const b = await start('second');
    expect((await client.crm.exports.publicExportsApi.getStatus(Number(a.id))).status).toBe('PROCESSING');
    expect((await client.crm.exports.publicExportsApi.getStatus(Number(b.id))).status).toBe('PENDING');
    await sim.control.advanceClock(5_000);
    expect((await client.crm.exports.publicExportsApi.getStatus(Number(b.id))).status).toBe('PROCESSING');
  });

  it('refuses exports past the 24-hour limit and without the crm.export scope, with HubSpot error bodies', async () => {
    const ErrorBody = z.object({ status: z.literal('error'), category: z.string(), message: z.string() });
    const refusal = async () => {
      const res = await client.apiRequest({
        method: 'POST',
        path: '/crm/v3/exports/export/async',
        body: request('refused'),
      });
      return { code: res.status, category: ErrorBody.parse(await res.json()).category };
    };
    await sim.control.configure({ exports: { perDay: 0 } });
    expect(await refusal()).toEqual({ code: 429, category: 'RATE_LIMITS' });
    await sim.control.configure({ exports: { perDay: 30, scopeGranted: false } });
    expect(await refusal()).toEqual({ code: 403, category: 'MISSING_SCOPES' });
    // The typed status call surfaces the same body as the SDK's ApiException.
    const status = await client.crm.exports.publicExportsApi.getStatus(1).catch((error: unknown) => error);
    expect(z.object({ code: z.literal(403), body: ErrorBody }).parse(status).body.category).toBe(
      'MISSING_SCOPES',
    );
  });
});
