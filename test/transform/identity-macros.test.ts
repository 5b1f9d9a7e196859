import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModelsConfig } from '../../config/models-defaults.js';
import { DuckdbDialect } from '../../load/duckdb/duckdb-dialect.js';
import type { DuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import type { CompileContext } from '../../transform/compile/compile-context.js';
import { IDENTITY_MACROS } from '../../transform/macros/identity-macros.js';
import { openFixtureWarehouse, rows } from '../models/model-fixture.js';

const dialect = new DuckdbDialect();
const ctx = { dialect, config: defaultModelsConfig(), file: 'test.sql' } as unknown as CompileContext;
const sql = (name: string, ...args: string[]): string =>
  IDENTITY_MACROS[name]?.render({ name, args, kwargs: new Map(), line: 1 }, ctx) ?? '';
const lit = (v: string | null): string => (v === null ? 'NULL' : dialect.string(v));

describe('identity macros on DuckDB', () => {
  let warehouse: DuckdbWarehouse;
  beforeAll(async () => {
    warehouse = await openFixtureWarehouse();
  });
  afterAll(async () => {
    await warehouse.close();
  });
  const value = async (expr: string): Promise<unknown> =>
    (await rows(warehouse, `select ${expr} as v`))[0]?.['v'];

  it('normalizes and validates emails', async () => {
    const cases: [string | null, string | null, boolean][] = [
      [' Ada@Acme.Example.COM\t', 'ada@acme.example.com', true],
      ['john@', 'john@', false],
      ['no at sign', 'no at sign', false],
      ["o'brien+crm@mail.example.ie", "o'brien+crm@mail.example.ie", true],
      ['two..dots@example.com', 'two..dots@example.com', false],
      ['x@localhost', 'x@localhost', false],
      ['   ', null, false],
      [null, null, false],
    ];
    for (const [raw, normalized, valid] of cases) {
      const e = sql('normalize_email', lit(raw));
      expect(await value(e), `normalize ${raw}`).toBe(normalized);
      expect(await value(sql('email_is_valid', e)), `valid ${raw}`).toBe(valid);
    }
    expect(await value(sql('is_role_inbox', lit('info@acme.com')))).toBe(true);
    expect(await value(sql('is_role_inbox', lit('no-reply@acme.com')))).toBe(true);
    expect(await value(sql('is_role_inbox', lit('ada@acme.com')))).toBe(false);
    expect(await value(sql('is_role_inbox', 'NULL'))).toBe(false);
  });

  it('normalizes phones to E.164 where the country is known, else NULL', async () => {
    const cases: [string | null, string | null, string | null][] = [
      ['+1 (415) 555-0101', null, '+14155550101'],
      ['(415) 555-0101', null, '+14155550101'],
      ['415.555.0101', 'US', '+14155550101'],
      ['1-415-555-0101', null, '+14155550101'],
      ['0049 30 5550107', null, '+49305550107'],
      ['030 5550107', 'Germany', '+49305550107'],
      ['030 5550107', 'de', '+49305550107'],
      ['020 7946 0018', 'GB', '+442079460018'],
      // A national number of unknown country cannot be made E.164.
      ['030 5550107', null, null],
      ['3055501', 'FR', null],
      ['n/a', 'US', null],
      ['+0 123 456 789', null, null],
      ['555-0101 ext 12', 'US', null],
      [null, 'US', null],
    ];
    for (const [raw, country, e164] of cases) {
      const digits = sql('phone_digits', lit(raw));
      const cc = sql('calling_code', lit(country));
      expect(await value(sql('normalize_phone', lit(raw), digits, cc)), `${raw} (${country})`).toBe(e164);
    }
  });

  it('derives company domains from websites and work emails, never from free mail', async () => {
    const urls: [string, string | null][] = [
      ['https://www.Acme.example.com/about?x=1', 'acme.example.com'],
      ['http://acme.example.com:8080/', 'acme.example.com'],
      ['www2.acme.example.com', 'acme.example.com'],
      ['ACME.EXAMPLE.COM', 'acme.example.com'],
      ['  acme.co.uk/en  ', 'acme.co.uk'],
      ['not a website', null],
      ['localhost', null],
    ];
    for (const [url, domain] of urls) expect(await value(sql('url_domain', lit(url))), url).toBe(domain);
    const company = (website: string | null, email: string | null, valid: boolean) =>
      value(sql('company_domain', lit(website), sql('email_domain', lit(email)), valid ? 'TRUE' : 'FALSE'));
    expect(await company('acme.example.com', 'ada@other.example.com', true)).toBe('acme.example.com');
    expect(await company(null, 'ada@other.example.com', true)).toBe('other.example.com');
    expect(await company(null, 'ada@gmail.com', true)).toBeNull();
    expect(await company('gmail.com', null, false)).toBeNull();
    expect(await company(null, 'ada@other.example.com', false)).toBeNull();
  });

  it('builds name keys that survive case, accents and punctuation, and company name keys', async () => {
    const key = (first: string | null, last: string | null) => value(sql('name_key', lit(first), lit(last)));
    expect(await key('José', "O'Brien")).toBe('joseobrien');
    expect(await key('JOSE', 'obrien')).toBe('joseobrien');
    expect(await key('Guido', 'van Rossum')).toBe('guidovanrossum');
    expect(await key('Ada', null)).toBeNull();
    expect(await key('  ', 'Lovelace')).toBeNull();
  });

  it('folds company names: case, punctuation, accents, a leading "the" and trailing legal forms', async () => {
    const key = (name: string | null) => value(sql('company_name_key', lit(name)));
    const acme = [
      'Acme, Inc.',
      'ACME Inc',
      'Acme LLC',
      'acme l.l.c.',
      'The Acme Company',
      'Acme Co., Ltd.',
      'Acme',
    ];
    for (const name of acme) expect(await key(name), name).toBe('acme');
    expect(await key('  Müller & Söhne GmbH ')).toBe('muller sohne');
    expect(await key('Société Générale S.A.')).toBe('societe generale');
    expect(await key('Initech AG & Co. KG')).toBe('initech');
    // Only whole trailing words are legal forms; a name that is nothing else keeps them.
    expect(await key('Costco Wholesale')).toBe('costco wholesale');
    expect(await key('Incorporated Widgets')).toBe('incorporated widgets');
    expect(await key('Company 7')).toBe('company 7');
    expect(await key('Limited')).toBe('limited');
    expect(await key('  ')).toBeNull();
  });

  it('keeps phone extensions as part of the number', async () => {
    const cases: [string, string | null, string][] = [
      ['+1 415 555 0100 ext. 12', '12', '+1 415 555 0100'],
      ['(415) 555-0100 x12', '12', '(415) 555-0100'],
      ['415-555-0100 #7', '7', '415-555-0100'],
      ['+14155550100;ext=345', '345', '+14155550100'],
      ['415 555 0100, Extension 9', '9', '415 555 0100'],
      ['+1 415 555 0100', null, '+1 415 555 0100'],
    ];
    for (const [raw, ext, main] of cases) {
      expect(await value(sql('phone_extension', lit(raw))), raw).toBe(ext);
      expect(await value(sql('phone_without_extension', lit(raw))), raw).toBe(main.toLowerCase());
    }
    // The same main number: one key per extension, another without one.
    const key = (raw: string) => value(sql('phone_match_key', lit(raw), lit('US')));
    expect(await key('(415) 555-0100 x12')).toBe(await key('+1 415 555 0100 ext. 12'));
    expect(await key('(415) 555-0100 x12')).not.toBe(await key('(415) 555-0100 x13'));
    expect(await key('(415) 555-0100')).not.toBe(await key('(415) 555-0100 x12'));
    expect(await key('(415) 555-0100')).toBe(await key('+14155550100'));
    expect(await key('n/a')).toBeNull();
  });

  it('splits names into keys and generational suffixes', async () => {
    expect(await value(sql('name_part_key', lit("O'Brien-Smith")))).toBe('obriensmith');
    expect(await value(sql('name_part_key', lit('Zoë')))).toBe('zoe');
    expect(await value(sql('name_part_key', lit('—')))).toBeNull();
    for (const [last, suffix, key] of [
      ['Smith Jr.', 'jr', 'smith'],
      ['Smith, Sr', 'sr', 'smith'],
      ['King III', 'iii', 'king'],
      ['Smith', null, 'smith'],
      ['Junior', null, 'junior'],
    ] as const) {
      expect(await value(sql('generational_suffix', lit(last))), last).toBe(suffix);
      expect(await value(sql('last_name_key', lit(last))), last).toBe(key);
    }
  });

  it('measures edit distance the same way on both warehouses (Levenshtein)', async () => {
    const { DIALECT_MACROS } = await import('../../transform/macros/dialect-macros.js');
    const distance = (a: string, b: string) =>
      value(
        DIALECT_MACROS['edit_distance']!.render(
          { name: 'edit_distance', args: [lit(a), lit(b)], kwargs: new Map(), line: 1 },
          ctx,
        ),
      );
    expect(await distance('jon', 'john')).toBe(1);
    expect(await distance('lovelace', 'lovelase')).toBe(1);
    expect(await distance('kitten', 'sitting')).toBe(3);
  });
});
