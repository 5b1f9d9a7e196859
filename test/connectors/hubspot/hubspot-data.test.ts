import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HUBSPOT_PEOPLE } from '../../../simulators/hubspot/seed-context.js';
import { ANCHOR_MS } from '../../../simulators/hubspot/seed-timeline.js';
import { startHubspotSimulator } from '../../../simulators/hubspot/start-hubspot-simulator.js';
import { holds, personAt } from '../../../simulators/kit/universe.js';
import {
  BatchSchema,
  ErrorSchema,
  HubspotHttp,
  ListPageSchema,
  type RawRecord,
  simulatorFixture,
  truthOf,
} from './hubspot-http.js';

const PropertiesSchema = z.object({
  results: z.array(
    z
      .object({
        name: z.string(),
        label: z.string(),
        type: z.enum(['string', 'number', 'date', 'datetime', 'enumeration', 'bool']),
        fieldType: z.string(),
        groupName: z.string(),
        options: z.array(z.object({ label: z.string(), value: z.string() }).loose()),
        modificationMetadata: z.object({ readOnlyValue: z.boolean() }).loose(),
      })
      .loose(),
  ),
});

const AssociationsSchema = z
  .object({
    status: z.literal('COMPLETE'),
    results: z.array(
      z
        .object({
          from: z.object({ id: z.string() }).strict(),
          to: z.array(
            z
              .object({
                toObjectId: z.number(),
                associationTypes: z.array(
                  z
                    .object({
                      category: z.literal('HUBSPOT_DEFINED'),
                      typeId: z.number(),
                      label: z.string().nullable(),
                    })
                    .strict(),
                ),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
    numErrors: z.number().optional(),
    errors: z.array(z.object({ status: z.literal('error'), category: z.string() }).loose()).optional(),
    startedAt: z.iso.datetime(),
    completedAt: z.iso.datetime(),
  })
  .strict();

const MutationSchema = z.object({
  ids: z.array(z.string()),
  created: z.array(z.string()),
  updated: z.array(z.string()),
  archived: z.array(z.string()),
  merged: z.array(z.object({ id: z.string(), primary: z.string(), secondary: z.string() })),
  at: z.iso.datetime(),
});

describe('HubSpot simulator data: deterministic, overlapping, messy', () => {
  const f = simulatorFixture({ seed: 21, scale: 3000 });
  let contacts: RawRecord[];

  beforeAll(async () => {
    contacts = await truthOf(f.sim, 'contacts');
  });

  it('serves identical records from two starts with the same seed, and different ones for another seed', async () => {
    const again = await startHubspotSimulator({ seed: 21, scale: 3000 });
    const other = await startHubspotSimulator({ seed: 22, scale: 3000 });
    try {
      for (const object of ['contacts', 'companies', 'deals', 'calls', 'owners']) {
        expect(await again.control.truth(object), object).toEqual(await f.sim.control.truth(object));
      }
      expect(await truthOf(other, 'contacts')).not.toEqual(contacts);
    } finally {
      await again.close();
      await other.close();
    }
  });

  it('holds the universe people HubSpot holds, so other CRMs overlap with it', () => {
    const emails = new Set(contacts.map((r) => r.properties['email']?.toLowerCase()));
    let held = 0;
    let found = 0;
    for (let i = 0; i < 3000; i++) {
      if (!holds(21, HUBSPOT_PEOPLE, i)) {
        expect(emails.has(personAt(21, i, 3000).email)).toBe(false);
        continue;
      }
      held++;
      if (emails.has(personAt(21, i, 3000).email)) found++;
    }
    expect(held).toBeGreaterThan(2500);
    // A few percent have no email or a malformed one; the rest carry the universe's address.
    expect(found / held).toBeGreaterThan(0.9);
  });

  it('has duplicates in another email case, merges that replaced records, bad values and shared timestamps', () => {
    const byEmail = new Map<string, RawRecord[]>();
    for (const r of contacts) {
      const e = r.properties['email'];
      if (e) byEmail.set(e.toLowerCase(), [...(byEmail.get(e.toLowerCase()) ?? []), r]);
    }
    const caseDuplicates = [...byEmail.values()].filter(
      (rs) =>
        rs.filter((r) => !r.archived).length > 1 && new Set(rs.map((r) => r.properties['email'])).size > 1,
    );
    expect(caseDuplicates.length).toBeGreaterThan(5);

    const byId = new Map(contacts.map((r) => [r.id, r]));
    const winners = contacts.filter((r) => r.properties['hs_merged_object_ids']);
    expect(winners.length).toBeGreaterThan(5);
    for (const w of winners) {
      expect(w.archived).toBe(false);
      // The records a merge replaced are no records any more (their ids read as the merged one).
      for (const loser of w.properties['hs_merged_object_ids']!.split(';'))
        expect(byId.has(loser), loser).toBe(false);
    }
    expect(winners.some((w) => w.properties['hs_merged_object_ids']!.includes(';'))).toBe(true);

    expect(contacts.some((r) => r.properties['email'] === null)).toBe(true);
    expect(contacts.some((r) => /@$/.test(r.properties['email'] ?? ''))).toBe(true);
    expect(contacts.some((r) => r.properties['phone'] === 'n/a')).toBe(true);
    const phoneShapes = new Set(contacts.map((r) => (r.properties['phone'] ?? '').replace(/\d/g, '9')));
    expect(phoneShapes.size).toBeGreaterThan(4);
    expect(
      contacts.filter(
        (r) => r.archived && !contacts.some((w) => w.properties['hs_merged_object_ids']?.includes(r.id)),
      ).length,
    ).toBeGreaterThan(5);

    const perMs = new Map<string, number>();
    for (const r of contacts) perMs.set(r.updatedAt, (perMs.get(r.updatedAt) ?? 0) + 1);
    expect(Math.max(...perMs.values())).toBeGreaterThanOrEqual(100);
    for (const r of contacts) {
      expect(r.properties['lastmodifieddate']).toBe(r.updatedAt);
      expect(r.properties['hs_object_id']).toBe(r.id);
      expect(Date.parse(r.updatedAt)).toBeLessThanOrEqual(ANCHOR_MS);
    }
  });

  it('varies company websites and links deals to a contact and that contact’s company', async () => {
    const companies = await truthOf(f.sim, 'companies');
    const shapes = new Set(
      companies.map((r) => (r.properties['website'] ?? 'none').replace(/[a-z0-9]+\d+\.example\.com/i, 'D')),
    );
    expect(shapes.size).toBeGreaterThanOrEqual(5);
    const deals = (await truthOf(f.sim, 'deals')).filter((r) => !r.archived).slice(0, 20);
    const inputs = deals.map((d) => ({ id: d.id }));
    const toContacts = (await f.http.post('/crm/v4/associations/deals/contacts/batch/read', { inputs })).as(
      AssociationsSchema,
    );
    const toCompanies = (await f.http.post('/crm/v4/associations/deals/companies/batch/read', { inputs })).as(
      AssociationsSchema,
    );
    const contactCompanies = (
      await f.http.post('/crm/v4/associations/contacts/companies/batch/read', {
        inputs: toContacts.results.map((r) => ({ id: String(r.to[0]!.toObjectId) })),
      })
    ).as(AssociationsSchema);
    const companyOfContact = new Map(
      contactCompanies.results.map((r) => [r.from.id, r.to.map((t) => t.toObjectId)]),
    );
    for (const row of toCompanies.results) {
      const contact = toContacts.results.find((c) => c.from.id === row.from.id)!.to[0]!.toObjectId;
      expect(row.to.map((t) => t.toObjectId)).toEqual(companyOfContact.get(String(contact)));
      expect(row.to[0]!.associationTypes.map((t) => t.typeId)).toContain(5);
    }
    expect(toContacts.results.length).toBeGreaterThan(deals.length / 2);
    expect(toContacts.results[0]!.to[0]!.associationTypes).toEqual([
      { category: 'HUBSPOT_DEFINED', typeId: 3, label: null },
    ]);

    const notes = (await truthOf(f.sim, 'notes')).filter((r) => !r.archived).slice(0, 5);
    const noteLinks = await f.http.post('/crm/v4/associations/notes/contacts/batch/read', {
      inputs: [...notes.map((n) => ({ id: n.id })), { id: '1' }],
    });
    expect(noteLinks.status).toBe(207);
    const parsed = noteLinks.as(AssociationsSchema);
    // Some seeded notes belong to contacts deleted since: HubSpot drops links to archived records.
    expect(parsed.results.length).toBeGreaterThanOrEqual(3);
    expect(parsed.results.length + parsed.numErrors!).toBe(6);
    expect(
      parsed.results.every((r) => r.to.length === 1 && r.to[0]!.associationTypes[0]!.typeId === 202),
    ).toBe(true);

    const listed = (await f.http.get('/crm/v3/objects/contacts?limit=100&associations=companies')).as(
      ListPageSchema,
    );
    const withCompany = listed.results.filter((r) => r.associations?.['companies']);
    expect(withCompany.length).toBeGreaterThan(50);
    expect(withCompany[0]!.associations!['companies']!.results[0]!.type).toBe('contact_to_company');
  });

  it('lists owners with paging', async () => {
    const page = await f.http.get('/crm/v3/owners?limit=2');
    const body = page.json as {
      results: { id: string; email: string; userId: number; archived: boolean }[];
      paging?: { next: { after: string } };
    };
    expect(body.results).toHaveLength(2);
    expect(typeof body.results[0]!.userId).toBe('number');
    const next = (await f.http.get(`/crm/v3/owners?limit=100&after=${body.paging!.next.after}`)).json as {
      results: { id: string }[];
    };
    const live = (await f.sim.control.truth('owners')) as { id: string; archived: boolean }[];
    expect([...body.results, ...next.results].map((o) => o.id)).toEqual(
      live.filter((o) => !o.archived).map((o) => o.id),
    );
  });
});

describe('HubSpot simulator data: properties, custom fields and the request-line limit', () => {
  const f = simulatorFixture({ seed: 4, scale: 300 });

  const propertyNames = async (): Promise<string[]> =>
    (await f.http.get('/crm/v3/properties/contacts')).as(PropertiesSchema).results.map((p) => p.name);

  it('describes standard and custom properties, including a hostile and a very long name', async () => {
    const props = (await f.http.get('/crm/v3/properties/contacts')).as(PropertiesSchema).results;
    const byName = new Map(props.map((p) => [p.name, p]));
    expect(byName.get('tide_score')).toMatchObject({
      type: 'number',
      modificationMetadata: { readOnlyValue: false },
    });
    expect(byName.get('customer_tier')!.options.map((o) => o.value)).toEqual([
      'bronze',
      'silver',
      'gold',
      'platinum',
    ]);
    expect(byName.get('hs_object_id')!.modificationMetadata.readOnlyValue).toBe(true);
    expect(byName.get('lastmodifieddate')!.type).toBe('datetime');
    expect(byName.has('"; drop table x; --')).toBe(true);
    expect([...byName.keys()].some((n) => n.length > 90)).toBe(true);
    expect((await f.http.get('/crm/v3/properties/0-1')).as(PropertiesSchema).results.length).toBe(
      props.length,
    );
    const bad = await f.http.get('/crm/v3/properties/widgets');
    expect(bad.status).toBe(400);
    expect(bad.as(ErrorSchema).category).toBe('VALIDATION_ERROR');
  });

  it('adds hundreds of custom properties; a GET naming all of them gets 414, a batch read serves them', async () => {
    const result = (await f.sim.control.configure({ addProperties: 400 })) as { addedProperties: string[] };
    expect(result.addedProperties).toHaveLength(400);
    expect(result.addedProperties.every((n) => n.length === 40)).toBe(true);
    const names = await propertyNames();
    expect(names).toEqual(expect.arrayContaining(result.addedProperties));
    const query = names.map((n) => `properties=${encodeURIComponent(n)}`).join('&');
    expect(query.length).toBeGreaterThan(15_000);
    const tooLong = await f.http.get(`/crm/v3/objects/contacts?limit=5&${query}`);
    expect(tooLong.status).toBe(414);
    expect(tooLong.text).toContain('414 Request-URI Too Large');
    const half = result.addedProperties
      .slice(0, 200)
      .map((n) => `properties=${n}`)
      .join('&');
    expect((await f.http.get(`/crm/v3/objects/contacts?limit=5&${half}`)).status).toBe(200);
    const ids = (await truthOf(f.sim, 'contacts'))
      .filter((r) => !r.archived)
      .slice(0, 5)
      .map((r) => ({ id: r.id }));
    const read = await f.http.post('/crm/v3/objects/contacts/batch/read', { inputs: ids, properties: names });
    expect(read.status).toBe(200);
    expect(Object.keys(read.as(BatchSchema).results[0]!.properties)).toEqual(
      expect.arrayContaining(result.addedProperties),
    );
  });

  it('gives a property added mid-stream values only on records updated afterwards', async () => {
    await f.sim.control.configure({
      addProperty: { object: 'contacts', name: 'nps_bucket', type: 'enumeration', options: ['low', 'high'] },
    });
    await f.sim.control.advanceClock(5_000);
    const { updated } = MutationSchema.parse(await f.sim.control.mutate({ object: 'contacts', update: 10 }));
    const truth = await truthOf(f.sim, 'contacts');
    for (const r of truth) {
      const value = r.properties['nps_bucket'];
      if (updated.includes(r.id)) expect(['low', 'high']).toContain(value);
      else expect(value).toBeNull();
    }
    const write = await f.http.post('/crm/v3/objects/contacts/batch/update', {
      inputs: [
        {
          id: truth.find((r) => !r.archived && !updated.includes(r.id))!.id,
          properties: { nps_bucket: 'medium' },
        },
      ],
    });
    expect(write.status).toBe(207);
  });

  it('serves a portal born with many custom properties, seeded values included', async () => {
    const wide = await startHubspotSimulator({ seed: 4, scale: 100, extraProperties: 300 });
    try {
      const props = (await new HubspotHttp(wide).get('/crm/v3/properties/contacts')).as(
        PropertiesSchema,
      ).results;
      const custom = props.filter((p) => p.name.startsWith('custom_field_'));
      expect(custom).toHaveLength(300);
      const truth = await truthOf(wide, 'contacts');
      const filled = truth.flatMap((r) => custom.map((p) => r.properties[p.name])).filter((v) => v !== null);
      expect(filled.length).toBeGreaterThan(0);
      expect(filled.length).toBeLessThan(truth.length * custom.length);
    } finally {
      await wide.close();
    }
  });
});

describe('HubSpot simulator control: mutations, truth and load', () => {
  const f = simulatorFixture({ seed: 6, scale: 400 });

  it('creates, updates, archives and merges, stamping everything touched with one ms on request', async () => {
    await f.sim.control.advanceClock(10_000);
    const result = MutationSchema.parse(
      await f.sim.control.mutate({
        object: 'contacts',
        create: 3,
        update: 5,
        archive: 2,
        merge: 1,
        sameTimestamp: true,
      }),
    );
    expect(result.created).toHaveLength(3);
    expect(result.updated).toHaveLength(5);
    expect(result.archived).toHaveLength(2);
    expect(result.merged).toHaveLength(1);
    expect(new Set(result.ids).size).toBe(3 + 5 + 2 + 3);
    const byId = new Map((await truthOf(f.sim, 'contacts')).map((r) => [r.id, r]));
    const [merge] = result.merged;
    // A merge makes a new record; the two it replaced are no records any more.
    for (const id of result.ids.filter((id) => id !== merge!.primary && id !== merge!.secondary))
      expect(byId.get(id)!.updatedAt).toBe(result.at);
    for (const id of result.archived) expect(byId.get(id)!.archived).toBe(true);
    expect(byId.has(merge!.primary)).toBe(false);
    expect(byId.has(merge!.secondary)).toBe(false);
    expect(byId.get(merge!.id)!.properties['hs_merged_object_ids']!.split(';')).toEqual(
      expect.arrayContaining([merge!.primary, merge!.secondary]),
    );
    for (const id of result.created) expect(byId.get(id)!.createdAt).toBe(result.at);
  });

  it('starts with mutationsPerStart contacts modified at the clock, the rest as seeded', async () => {
    const before = Date.now();
    const seeded = await startHubspotSimulator({ seed: 6, scale: 400 });
    const mutated = await startHubspotSimulator({ seed: 6, scale: 400, mutationsPerStart: 7 });
    try {
      const base = new Map((await truthOf(seeded, 'contacts')).map((r) => [r.id, r]));
      const changed = (await truthOf(mutated, 'contacts')).filter(
        (r) => r.updatedAt !== base.get(r.id)!.updatedAt,
      );
      expect(changed).toHaveLength(7);
      for (const r of changed) expect(Date.parse(r.updatedAt)).toBeGreaterThanOrEqual(before);
    } finally {
      await seeded.close();
      await mutated.close();
    }
  });

  it('rejects bad mutations without changing anything', async () => {
    const before = await f.sim.control.truth('deals');
    await expect(f.sim.control.mutate({ object: 'widgets', update: 1 })).rejects.toThrow(/400/);
    await expect(
      f.sim.control.mutate({ object: 'deals', update: 1, setProperties: { dealstage: 'nope' } }),
    ).rejects.toThrow(/400/);
    await expect(f.sim.control.truth('widgets')).rejects.toThrow(/400/);
    expect(await f.sim.control.truth('deals')).toEqual(before);
  });

  it('loads NDJSON records in the truth shape, replacing same ids and adding new ones', async () => {
    const [first] = await truthOf(f.sim, 'companies');
    const replaced = {
      ...first!,
      properties: { ...first!.properties, name: 'Replaced Inc', tide_score: '3' },
    };
    const added = {
      id: '7000000001',
      properties: { name: 'Loaded GmbH', domain: 'loaded.example', brand_new_field: 'x' },
      createdAt: '2024-05-01T00:00:00.000Z',
      updatedAt: '2024-06-01T00:00:00.000Z',
      archived: false,
    };
    const loaded = (await f.sim.control.loadNdjson('companies', [replaced, added])) as { loaded: number };
    expect(loaded.loaded).toBe(2);
    const truth = new Map((await truthOf(f.sim, 'companies')).map((r) => [r.id, r]));
    expect(truth.get(first!.id)!.properties['name']).toBe('Replaced Inc');
    expect(truth.get(first!.id)!.updatedAt).toBe(first!.updatedAt);
    expect(truth.get('7000000001')).toMatchObject({
      updatedAt: '2024-06-01T00:00:00.000Z',
      properties: {
        name: 'Loaded GmbH',
        brand_new_field: 'x',
        hs_lastmodifieddate: '2024-06-01T00:00:00.000Z',
      },
    });
    const got = await f.http.get('/crm/v3/objects/companies/7000000001?properties=domain');
    expect(got.status).toBe(200);
    const missing = await f.http.get('/crm/v3/objects/companies/1234');
    expect(missing.status).toBe(404);
    expect(missing.as(ErrorSchema).category).toBe('OBJECT_NOT_FOUND');
  });

  it('updates and creates single objects through PATCH and POST', async () => {
    const deal = (await truthOf(f.sim, 'deals')).find((r) => !r.archived)!;
    const patched = await f.http.call('PATCH', `/crm/v3/objects/deals/${deal.id}`, {
      properties: { amount: '1234.5' },
    });
    expect(patched.status).toBe(200);
    const bad = await f.http.call('PATCH', `/crm/v3/objects/deals/${deal.id}`, {
      properties: { amount: 'lots' },
    });
    expect(bad.status).toBe(400);
    expect(bad.as(ErrorSchema).message).toContain('INVALID_FLOAT');
    const created = await f.http.post('/crm/v3/objects/contacts', {
      properties: { email: 'solo@tide-test.example' },
    });
    expect(created.status).toBe(201);
    const invalidEmail = await f.http.post('/crm/v3/objects/contacts', { properties: { email: 'john@' } });
    expect(invalidEmail.status).toBe(400);
    const truth = (await truthOf(f.sim, 'deals')).find((r) => r.id === deal.id)!;
    expect(truth.properties['amount']).toBe('1234.5');
  });
});
