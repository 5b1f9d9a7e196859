import { Unzip, type UnzipFile, UnzipInflate } from 'fflate';
import { TideError } from '../../core/tide-error.js';
import { csvBlocks, csvRows } from '../../extract/csv-rows.js';

/** Text of one of the export's CSV files (`file` counts from 0 in the order the files come). */
interface CsvText {
  readonly file: number;
  readonly text: string;
}

export interface CsvRow {
  readonly file: number;
  readonly row: string[];
}

/**
 * The rows of an export's file as its bytes arrive. HubSpot sends one CSV, or a ZIP when the CSV
 * passes 2 MB or 1,000,000 rows (then one CSV per million rows, each with its own header line): the
 * ZIP is recognised by its signature, not by a header or a file name. Memory holds one download
 * chunk, its inflated text and the partial record at its end, never the file.
 */
export async function* exportRows(bytes: AsyncIterable<Uint8Array>, what: string): AsyncGenerator<CsvRow> {
  const texts = exportTexts(bytes, what)[Symbol.asyncIterator]();
  let current = await texts.next();
  while (current.done !== true) {
    const file = current.value.file;
    // This file's text, ending where the next file's begins.
    const ofFile = async function* (): AsyncGenerator<string> {
      while (current.done !== true && current.value.file === file) {
        yield current.value.text;
        current = await texts.next();
      }
    };
    const label = `${what} (file ${file + 1})`;
    for await (const block of csvBlocks(ofFile()))
      for (const row of csvRows(block, label)) yield { file, row };
  }
}

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

async function* exportTexts(bytes: AsyncIterable<Uint8Array>, what: string): AsyncGenerator<CsvText> {
  const chunks = bytes[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done === true) return;
  const rest = (async function* () {
    yield first.value;
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value;
  })();
  const zipped = first.value.length >= 4 && ZIP_SIGNATURE.every((b, i) => first.value[i] === b);
  if (!zipped) {
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of rest) yield { file: 0, text: decoder.decode(chunk, { stream: true }) };
    yield { file: 0, text: decoder.decode() };
    return;
  }
  yield* unzipped(rest, what);
}

/** The CSV entries of a streamed ZIP, inflated as the bytes come, in the order the entries are stored. */
async function* unzipped(zip: AsyncIterable<Uint8Array>, what: string): AsyncGenerator<CsvText> {
  const ready: CsvText[] = [];
  const open = new Set<number>();
  let files = 0;
  let failure: Error | null = null;
  const unzip = new Unzip((entry: UnzipFile) => {
    if (!entry.name.toLowerCase().endsWith('.csv')) return;
    const file = files++;
    const decoder = new TextDecoder('utf-8');
    open.add(file);
    entry.ondata = (error, data, final) => {
      if (error) {
        failure = error;
        return;
      }
      ready.push({ file, text: decoder.decode(data, { stream: !final }) });
      if (final) open.delete(file);
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  const unreadable = (error: Error) =>
    new TideError('malformed_response', `${what} is not a readable ZIP (${error.message}); cut short?`);
  // fflate reports some damage through the entry's callback and some by throwing from push.
  const push = (chunk: Uint8Array, final: boolean): CsvText[] => {
    try {
      unzip.push(chunk, final);
    } catch (error) {
      throw unreadable(error instanceof Error ? error : new Error(String(error)));
    }
    if (failure !== null) throw unreadable(failure);
    return ready.splice(0);
  };
  for await (const chunk of zip) yield* push(chunk, false);
  yield* push(new Uint8Array(0), true);
  if (files === 0) throw new TideError('malformed_response', `${what} is a ZIP without a CSV file`);
  if (open.size > 0)
    throw new TideError('malformed_response', `${what} ended inside a CSV file (the download was cut short)`);
}
