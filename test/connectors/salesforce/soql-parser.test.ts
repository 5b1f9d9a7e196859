import { describe, expect, it } from 'vitest';
import {
  countSoql,
  selectSoql,
  soqlDateTime,
  soqlIdentifier,
  soqlString,
} from '../../../connectors/salesforce/soql.js';
import { SalesforceStore } from '../../../simulators/salesforce/salesforce-store.js';
import { prepareQuery, QueryError, runQuery } from '../../../simulators/salesforce/soql-executor.js';
import { parseSoql, SoqlError } from '../../../simulators/salesforce/soql-parser.js';

describe('SOQL parser (simulator)', () => {
  it('parses what the connector sends: field list, datetime bound, ORDER BY two keys', () => {
    const q = parseSoql(
      'SELECT Id, SystemModstamp, Email FROM Contact WHERE SystemModstamp >= 2026-01-02T03:04:05Z ORDER BY SystemModstamp ASC, Id ASC',
    );
    expect(q.select).toEqual({ kind: 'fields', fields: ['Id', 'SystemModstamp', 'Email'] });
    expect(q.from).toBe('Contact');
    expect(q.where).toEqual({
      kind: 'compare',
      field: 'SystemModstamp',
      op: '>=',
      value: { kind: 'datetime', ms: Date.UTC(2026, 0, 2, 3, 4, 5) },
    });
    expect(q.orderBy.map((o) => [o.field, o.descending])).toEqual([
      ['SystemModstamp', false],
      ['Id', false],
    ]);
  });

  it('parses COUNT(), OR of ANDs with ids, offsets, strings with escapes, IN, NOT, LIMIT/OFFSET', () => {
    const q = parseSoql(
      "select count() from Account where (SystemModstamp > 2026-01-01T00:00:00.000+02:00) or (SystemModstamp = 2026-01-01T00:00:00Z and Id > '001Tq0000000001') or Name = 'O\\'Brien' or Industry in ('Media', 'Energy') or not Rating != null limit 5 offset 2",
    );
    expect(q.select.kind).toBe('count');
    expect(q.where?.kind).toBe('or');
    const items = q.where?.kind === 'or' ? q.where.items : [];
    expect(items[0]).toMatchObject({ value: { kind: 'datetime', ms: Date.UTC(2025, 11, 31, 22) } });
    expect(items[1]).toMatchObject({ kind: 'and' });
    expect(items[2]).toMatchObject({ value: { kind: 'string', value: "O'Brien" } });
    expect(items[3]).toMatchObject({ kind: 'in', negated: false });
    expect(items[4]).toMatchObject({ kind: 'not' });
    expect([q.limit, q.offset]).toEqual([5, 2]);
  });

  it('rejects malformed SOQL the way Salesforce does', () => {
    expect(() => parseSoql('SELECT FROM Contact')).toThrow(SoqlError);
    expect(() => parseSoql('SELECT Id FROM Contact WHERE')).toThrow(/end of query/);
    expect(() => parseSoql("SELECT Id FROM Contact WHERE Name = 'x")).toThrow(/unterminated/);
    // Mixing AND and OR without parentheses is MALFORMED_QUERY in SOQL.
    expect(() => parseSoql("SELECT Id FROM Contact WHERE Name = 'a' AND Title = 'b' OR Email = 'c'")).toThrow(
      /unexpected token: 'OR'/,
    );
    expect(() => parseSoql('SELECT Id FROM Contact LIMIT -1')).toThrow(SoqlError);
  });
});

describe('SOQL execution (simulator)', () => {
  const store = new SalesforceStore(3, 400);
  const ids = (soql: string, all = false): string[] => {
    const prepared = prepareQuery(store, soql);
    return [...runQuery(prepared, all)].map((seq) => prepared.table.id(seq));
  };

  it('validates objects, fields and literal types', () => {
    expect(() => prepareQuery(store, 'SELECT Id FROM Contactz')).toThrow(QueryError);
    const noField = (() => {
      try {
        prepareQuery(store, 'SELECT Id, Nope__c FROM Contact');
      } catch (error) {
        return error as QueryError;
      }
      return null;
    })();
    expect(noField?.errorCode).toBe('INVALID_FIELD');
    expect(noField?.message).toContain("No such column 'Nope__c' on entity 'Contact'");
    expect(() => prepareQuery(store, "SELECT Id FROM Contact WHERE SystemModstamp > '2026-01-01'")).toThrow(
      /must be of type dateTime and should not be enclosed in quotes/,
    );
    // Field names resolve case-insensitively to their API names.
    expect(prepareQuery(store, 'select id, EMAIL from contact').fields.map((f) => f.name)).toEqual([
      'Id',
      'Email',
    ]);
  });

  it('orders by (SystemModstamp, Id) and honours an inclusive lower bound', () => {
    const all = prepareQuery(store, 'SELECT Id, SystemModstamp FROM Contact ORDER BY SystemModstamp, Id');
    const seqs = [...runQuery(all, false)];
    const stamps = seqs.map((s) => all.table.modstampSec(s));
    for (let i = 1; i < seqs.length; i++) {
      expect(stamps[i]! > stamps[i - 1]! || (stamps[i] === stamps[i - 1] && seqs[i]! > seqs[i - 1]!)).toBe(
        true,
      );
    }
    const middle = stamps[Math.floor(stamps.length / 2)]!;
    const from = new Date(middle * 1000).toISOString().replace('.000', '');
    const bounded = ids(`SELECT Id FROM Contact WHERE SystemModstamp >= ${from} ORDER BY SystemModstamp, Id`);
    expect(bounded.length).toBe(stamps.filter((s) => s >= middle).length);
  });

  it('the resume form (t, id) returns exactly what follows a record', () => {
    const ordered = ids('SELECT Id FROM Contact ORDER BY SystemModstamp, Id');
    const prepared = prepareQuery(store, 'SELECT Id FROM Contact ORDER BY SystemModstamp, Id');
    const seq = runQuery(prepared, false)[100]!;
    const t = new Date(prepared.table.modstampSec(seq) * 1000).toISOString().replace('.000', '');
    const resumed = ids(
      `SELECT Id FROM Contact WHERE (SystemModstamp > ${t}) OR (SystemModstamp = ${t} AND Id > '${prepared.table.id(seq)}') ORDER BY SystemModstamp, Id`,
    );
    expect(resumed).toEqual(ordered.slice(101));
  });

  it('query skips the recycle bin, queryAll includes it; COUNT() counts; filters are case-insensitive', () => {
    const live = ids('SELECT Id FROM Contact');
    const all = ids('SELECT Id FROM Contact', true);
    expect(all.length).toBeGreaterThan(live.length);
    expect(ids('SELECT Id FROM Contact WHERE IsDeleted = true', true).length).toBe(all.length - live.length);
    const someone = prepareQuery(store, 'SELECT Id FROM Contact');
    const email = String(someone.table.record(runQuery(someone, false)[0]!).Email);
    expect(ids(`SELECT Id FROM Contact WHERE Email = ${soqlString(email.toUpperCase())}`)).toHaveLength(1);
    expect(runQuery(prepareQuery(store, 'SELECT COUNT() FROM Contact'), false).length).toBe(live.length);
    expect(
      ids("SELECT Id FROM Account WHERE Name LIKE 'acme%' ORDER BY Name DESC LIMIT 3").length,
    ).toBeLessThanOrEqual(3);
  });
});

describe('SOQL builder (connector)', () => {
  it('writes unquoted whole-second UTC datetimes and escapes strings', () => {
    expect(soqlDateTime(Date.UTC(2026, 0, 2, 3, 4, 5, 999))).toBe('2026-01-02T03:04:05Z');
    expect(soqlString("O'Brien \\ x")).toBe("'O\\'Brien \\\\ x'");
    expect(countSoql('Contact', null)).toBe('SELECT COUNT() FROM Contact');
    expect(selectSoql({ fields: ['Id', 'Name'], object: 'Lead', fromMs: 0, ordered: true })).toBe(
      'SELECT Id, Name FROM Lead WHERE SystemModstamp >= 1970-01-01T00:00:00Z ORDER BY SystemModstamp ASC, Id ASC',
    );
  });

  it('refuses names that are not API names (no injection through describe)', () => {
    expect(() => soqlIdentifier('Name FROM User --')).toThrow(RangeError);
    expect(soqlIdentifier('Custom_Field__c')).toBe('Custom_Field__c');
  });

  it('what the builder writes, the simulator parses', () => {
    const store = new SalesforceStore(3, 50);
    const soql = selectSoql({
      fields: ['Id', 'SystemModstamp'],
      object: 'Contact',
      fromMs: Date.UTC(2020, 0, 1),
      ordered: true,
    });
    expect(runQuery(prepareQuery(store, soql), true).length).toBe(store.context.counts.Contact);
  });
});
