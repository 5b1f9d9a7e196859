import { describe, expect, it } from 'vitest';
import { formatPhone, holds, personAt } from '../../../simulators/kit/universe.js';
import { caseSafeSuffix, idSeq, mintId } from '../../../simulators/salesforce/salesforce-ids.js';
import { SalesforceStore } from '../../../simulators/salesforce/salesforce-store.js';
import { ANCHOR_MS, SALESFORCE_PEOPLE } from '../../../simulators/salesforce/seed-context.js';
import { later, startSim } from './salesforce-harness.js';

type Row = Record<string, unknown> & { Id: string; SystemModstamp: string };

describe('Salesforce simulator data', () => {
  it('mints 18-character ids with the documented case-safe suffix, ordered like their sequence numbers', () => {
    // Salesforce's own example: 15-character 001A0000006Vm9r → suffix IAC.
    expect(caseSafeSuffix('001A0000006Vm9r')).toBe('IAC');
    const ids = [0, 1, 61, 62, 3843, 999_999].map((n) => mintId('003', n));
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map((id) => idSeq('003', id))).toEqual([0, 1, 61, 62, 3843, 999_999]);
    expect(idSeq('003', ids[1]!.slice(0, 15))).toBe(1);
    expect(idSeq('001', ids[1]!)).toBeNull();
  });

  it('serves the same org on every start with the same seed', async () => {
    const a = await startSim({ seed: 11, scale: 400 });
    const b = await startSim({ seed: 11, scale: 400 });
    try {
      for (const object of ['Contact', 'Opportunity', 'Task']) {
        expect(await a.control.truth(object)).toEqual(await b.control.truth(object));
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('holds the universe’s people the way a sales CRM does: same people, other email case and phone format', () => {
    const seed = 5;
    const store = new SalesforceStore(seed, 3000);
    const contacts = store.table('Contact')!;
    let caseDiffers = 0;
    let formatDiffers = 0;
    for (let seq = 0; seq < contacts.count; seq++) {
      const person = personAt(seed, store.context.contactPerson[seq]!, 3000);
      expect(holds(seed, SALESFORCE_PEOPLE, person.index)).toBe(true);
      const row = contacts.record(seq);
      expect(String(row.Email).toLowerCase()).toBe(person.email);
      if (row.Email !== person.email) caseDiffers++;
      expect(String(row.Phone).replace(/\D/g, '').replace(/^0+/, '')).toMatch(/\d{6,}/);
      if (row.Phone !== formatPhone(person.phoneDigits, 0)) formatDiffers++;
      expect(row.AccountId).toBe(mintId('001', person.companyIndex));
    }
    expect(contacts.count / 3000).toBeGreaterThan(0.5);
    expect(contacts.count / 3000).toBeLessThan(0.7);
    expect(caseDiffers).toBeGreaterThan(contacts.count / 3);
    expect(formatDiffers).toBeGreaterThan(contacts.count / 2);
    // Leads are people Salesforce does not have as Contacts.
    for (const index of store.context.leadPerson) expect(holds(seed, SALESFORCE_PEOPLE, index)).toBe(false);
  });

  it('mutationsPerStart changes records at the clock’s now; seeded data stays anchored', async () => {
    const sim = await startSim({ seed: 3, scale: 400, mutationsPerStart: 20 });
    try {
      const rows = (await sim.control.truth('Contact')) as Row[];
      const recent = rows.filter((r) => Date.parse(r.SystemModstamp) > ANCHOR_MS);
      // 20 updates, 2 creates and 1 delete, all stamped now.
      expect(recent.length).toBe(23);
      for (const r of recent)
        expect(Math.abs(Date.parse(r.SystemModstamp) - Date.now())).toBeLessThan(60_000);
      expect(rows.length).toBe(sim.counts.Contact! + 2);
    } finally {
      await sim.close();
    }
  });

  it('loads NDJSON records through /_sim/load: new ones get ids, known ids are replaced, timestamps kept', async () => {
    const sim = await startSim({ seed: 4, scale: 200 });
    try {
      const existing = ((await sim.control.truth('Contact')) as Row[])[0]!;
      const at = '2026-03-04T05:06:07.000Z';
      const loaded = await sim.control.loadNdjson('Contact', [
        { LastName: 'Tie', FirstName: 'One', SystemModstamp: at },
        { LastName: 'Tie', FirstName: 'Two', SystemModstamp: at, IsDeleted: true },
        { Id: existing.Id, Title: 'Replaced', SystemModstamp: at },
      ]);
      expect(loaded).toEqual({ loaded: 3 });
      const rows = ((await sim.control.truth('Contact')) as Row[]).filter((r) => r.SystemModstamp === at);
      expect(rows.map((r) => [r.FirstName, r.IsDeleted])).toEqual([
        [existing.FirstName, false],
        ['One', false],
        ['Two', true],
      ]);
      expect(rows[0]?.Title).toBe('Replaced');
      await expect(sim.control.loadNdjson('Contact', [{ Bogus__c: 1 }])).rejects.toThrow(
        /has no field Bogus__c/,
      );
    } finally {
      await sim.close();
    }
  });

  it('a formula field follows its Account without touching the Contact’s SystemModstamp', async () => {
    const sim = await startSim({ seed: 9, scale: 300 });
    try {
      const contact = ((await sim.control.truth('Contact')) as Row[]).find((c) => c.IsDeleted === false)!;
      await later(sim);
      await sim.control.mutate({
        object: 'Account',
        updateIds: [String(contact.AccountId)],
        fields: { Industry: 'Energy' },
      });
      await sim.control.mutate({
        object: 'Account',
        updateIds: [String(contact.AccountId)],
        fields: { Industry: 'Media' },
      });
      const after = ((await sim.control.truth('Contact')) as Row[]).find((c) => c.Id === contact.Id)!;
      expect(after.Account_Industry__c).toBe('Media');
      expect(after.SystemModstamp).toBe(contact.SystemModstamp);
    } finally {
      await sim.close();
    }
  });
});
