import { v1, v2 } from 'pipedrive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StartedPipedriveSimulator,
  startPipedriveSimulator,
} from '../../../simulators/pipedrive/start-pipedrive-simulator.js';
import { mutate, truthOf } from './pipedrive-harness.js';

/**
 * The official `pipedrive` SDK (33.7.0) against the simulator, pointed at it by base path only: if
 * the simulator's shapes, paging or auth drifted from Pipedrive's contract, these calls would break.
 */
describe('official pipedrive SDK against the simulator', () => {
  let sim: StartedPipedriveSimulator;
  let persons: v2.PersonsApi;

  beforeAll(async () => {
    sim = await startPipedriveSimulator({ seed: 11, scale: 900, burstLimit: 0 });
    persons = new v2.PersonsApi(
      new v2.Configuration({ apiKey: sim.apiToken, basePath: `${sim.baseUrl}/api/v2` }),
    );
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('pages v2 persons by next_cursor and sees every live person exactly once', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await persons.getPersons({ limit: 100, ...(cursor ? { cursor } : {}) });
      expect(page.success).toBe(true);
      for (const p of page.data ?? []) {
        seen.push(p.id!);
        expect(p.emails).toBeInstanceOf(Array);
        expect(Object.keys(p.custom_fields ?? {}).every((k) => /^[0-9a-f]{40}$/.test(k))).toBe(true);
      }
      cursor = page.additional_data?.next_cursor ?? undefined;
      pages++;
    } while (cursor);
    const truth = await truthOf(sim, 'persons');
    expect(seen.length).toBe(truth.size);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(truth.size / 100));
  });

  it('lists incrementally with updated_since and sort_by=update_time', async () => {
    await sim.control.advanceClock(60_000);
    const changed = await mutate(sim, { object: 'persons', update: 12 });
    const since = changed.at;
    const ids: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await persons.getPersons({
        updated_since: since,
        sort_by: 'update_time',
        sort_direction: 'asc',
        limit: 5,
        ...(cursor ? { cursor } : {}),
      });
      const times = (page.data ?? []).map((p) => Date.parse(p.update_time!));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      ids.push(...(page.data ?? []).map((p) => p.id!));
      cursor = page.additional_data?.next_cursor ?? undefined;
    } while (cursor);
    expect(ids.map(String).sort()).toEqual([...changed.updated].sort());
  });

  it('updates a person by PATCH with a custom field keyed by hash, and reads it back', async () => {
    const fields = await new v1.PersonFieldsApi(
      new v1.Configuration({ apiKey: sim.apiToken, basePath: `${sim.baseUrl}/v1` }),
    ).getPersonFields({ limit: 500 });
    const score = (fields.data ?? []).find((f) => f.name === 'Lead score');
    expect(score?.key).toMatch(/^[0-9a-f]{40}$/);
    const key = score!.key!;

    const updated = await persons.updatePerson({
      id: 3,
      UpdatePersonRequest: {
        job_title: 'Chief Data Officer',
        emails: [{ value: 'ada@example.org', primary: true, label: 'work' }],
        custom_fields: { [key]: 87.5 },
      },
    });
    expect(updated.success).toBe(true);
    expect(updated.data?.custom_fields?.[key]).toBe(87.5);
    const read = await persons.getPerson({ id: 3 });
    expect(read.data?.job_title).toBe('Chief Data Officer');
    expect(read.data?.emails?.[0]?.value).toBe('ada@example.org');
    expect((await sim.control.stats()).writes).toBe(1);

    // Pipedrive's error envelope reaches the SDK caller as the rejection value.
    await expect(
      persons.updatePerson({ id: 3, UpdatePersonRequest: { custom_fields: { [key]: 'not a number' } } }),
    ).rejects.toMatchObject({ success: false, error: expect.stringContaining('Must be a number') });
    await expect(persons.getPerson({ id: 999_999 })).rejects.toMatchObject({
      success: false,
      error: 'Person not found',
    });
  });

  it('serves v1 leads (UUIDs, offset paging), users, and OAuth Bearer auth', async () => {
    const leadsApi = new v1.LeadsApi(
      new v1.Configuration({ apiKey: sim.apiToken, basePath: `${sim.baseUrl}/v1` }),
    );
    const first = await leadsApi.getLeads({ limit: 10, start: 0 });
    expect(first.data).toHaveLength(10);
    expect(first.data?.[0]?.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const second = await leadsApi.getLeads({ limit: 10, start: 10 });
    expect(second.data?.[0]?.id).not.toBe(first.data?.[0]?.id);

    const users = await new v1.UsersApi(
      new v1.Configuration({ accessToken: sim.apiToken, basePath: `${sim.baseUrl}/v1` }),
    ).getUsers();
    expect((users.data ?? []).length).toBeGreaterThanOrEqual(3);

    const wrong = new v2.PersonsApi(
      new v2.Configuration({ apiKey: 'nope', basePath: `${sim.baseUrl}/api/v2` }),
    );
    await expect(wrong.getPersons({ limit: 1 })).rejects.toMatchObject({ success: false, errorCode: 401 });
  });
});
