import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { TideError } from '../../core/tide-error.js';
import { csvBlocks, csvRows } from '../../extract/csv-rows.js';
import { SeededRandom } from '../../simulators/kit/seeded-random.js';

const rows = (text: string): string[][] => [...csvRows(text, 'test page')];

describe('Bulk results CSV rows', () => {
  it('reads quoted and bare values, doubled quotes, quoted commas and line breaks, CRLF, BOM', () => {
    const text = '\uFEFF"Id","Name","Notes"\r\n"1","O\'Brien, ""Ken""","line one\nline two"\r\n2,,bare\r\n';
    expect(rows(text)).toEqual([
      ['Id', 'Name', 'Notes'],
      ['1', 'O\'Brien, "Ken"', 'line one\nline two'],
      ['2', '', 'bare'],
    ]);
    expect(rows('"a"\n"b"')).toEqual([['a'], ['b']]);
  });

  it('agrees with csv-parse on random hostile pages', () => {
    const random = new SeededRandom(99);
    const alphabet = ['a', 'Z', ' ', ',', '"', '\n', '\r\n', 'é', '😀', '\\', "'", '0'];
    for (let round = 0; round < 200; round++) {
      const width = 1 + random.int(6);
      const table = Array.from({ length: 1 + random.int(8) }, () =>
        Array.from({ length: width }, () =>
          Array.from({ length: random.int(8) }, () => random.pick(alphabet)).join(''),
        ),
      );
      const eol = random.chance(0.5) ? '\n' : '\r\n';
      const text = `${table
        .map((row) =>
          row
            .map((v) =>
              random.chance(0.7) || /[",\r\n]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v,
            )
            .join(','),
        )
        .join(eol)}${eol}`;
      const expected = parse(text, { relax_column_count: true }) as string[][];
      expect(rows(text)).toEqual(expected);
      expect(rows(text)).toEqual(table);
    }
  });

  it('refuses broken CSV with the line it broke on', () => {
    expect(() => rows('"a","b\n')).toThrow(TideError);
    expect(() => rows('"a","b\n')).toThrow(/test page is not valid CSV at line 1: a quoted value never ends/);
    expect(() => rows('"a"x,"b"\n')).toThrow(/unexpected "x" after a value/);
    expect(() => rows('"ok"\na"b\n')).toThrow(/line 2: a quote inside an unquoted value/);
  });

  it('splits a stream of text chunks only at record boundaries, whatever the chunk edges cut', async () => {
    const random = new SeededRandom(9);
    const text = '"id","note"\n"1","line one\nline two, ""quoted"""\n"2",""\n3,bare\r\n"4","a\r\nb"\n';
    const whole = rows(text);
    for (let round = 0; round < 300; round++) {
      const chunks: string[] = [];
      for (let at = 0; at < text.length; ) {
        const n = 1 + random.int(12);
        chunks.push(text.slice(at, at + n));
        at += n;
      }
      const blocks: string[] = [];
      const source = async function* (): AsyncGenerator<string> {
        yield* chunks;
      };
      for await (const block of csvBlocks(source())) blocks.push(block);
      expect(blocks.join('')).toBe(text);
      expect(blocks.flatMap((b) => rows(b))).toEqual(whole);
    }
  });
});
