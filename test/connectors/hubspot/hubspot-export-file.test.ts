import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { type CsvRow, exportRows } from '../../../connectors/hubspot/hubspot-export-file.js';
import { TideError } from '../../../core/tide-error.js';

/** Bytes as a download delivers them: in chunks of `size`, cut anywhere (inside a record, a character). */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function rows(bytes: AsyncIterable<Uint8Array>): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const row of exportRows(bytes, 'export 1')) out.push(row);
  return out;
}

const csv = (header: string, n: number, from = 0) =>
  `${header}\r\n${Array.from({ length: n }, (_, i) => `${from + i},"é, ""${from + i}""\nline"`).join('\r\n')}\r\n`;

describe('HubSpot export file', () => {
  it('reads a plain CSV cut into 7-byte chunks (records and UTF-8 characters split across chunks)', async () => {
    const read = await rows(chunked(strToU8(csv('hs_object_id,note', 50)), 7));
    expect(read).toHaveLength(51);
    expect(read.every((r) => r.file === 0)).toBe(true);
    expect(read[3]?.row).toEqual(['2', 'é, "2"\nline']);
  });

  it('reads every CSV of a partitioned ZIP in order, each from its own header line', async () => {
    const zip = zipSync({
      'a-1.csv': strToU8(csv('hs_object_id,note', 40)),
      'a-2.csv': strToU8(csv('hs_object_id,note', 25, 40)),
    });
    const read = await rows(chunked(zip, 100));
    expect(read.filter((r) => r.file === 0)).toHaveLength(41);
    expect(read.filter((r) => r.file === 1)).toHaveLength(26);
    expect(read[41]?.row).toEqual(['hs_object_id', 'note']);
    expect(read.at(-1)?.row[0]).toBe('64');
  });

  it('refuses a ZIP download cut short instead of loading part of it', async () => {
    const zip = zipSync({ 'a.csv': strToU8(csv('hs_object_id,note', 2000)) }, { level: 0 });
    await expect(rows(chunked(zip.subarray(0, Math.floor(zip.length / 2)), 512))).rejects.toThrow(TideError);
  });
});
