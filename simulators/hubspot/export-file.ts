import { Zip, ZipDeflate } from 'fflate';
import type { PropertyValues } from './object-table.js';
import type { PropertyDef } from './property-catalog.js';

export interface ExportFileOptions {
  readonly name: string;
  readonly header: readonly string[];
  readonly defs: readonly (PropertyDef | undefined)[];
  readonly internalValues: boolean;
  readonly rows: number;
  /** The values of row `i` (the export's snapshot of its record). */
  readonly valuesAt: (i: number) => PropertyValues;
  /** Rows per CSV file; a larger export is several files in one ZIP (HubSpot: 1,000,000). */
  readonly rowsPerFile: number;
  /** A single CSV larger than this comes zipped (HubSpot: 2 MB). */
  readonly zipAboveBytes: number;
}

export interface ExportFile {
  readonly contentType: 'text/csv' | 'application/zip';
  readonly fileName: string;
  readonly body: AsyncIterable<Uint8Array>;
}

const CHUNK_CHARS = 256 * 1024;
const encoder = new TextEncoder();

/**
 * The export's file as HubSpot delivers it: one CSV, zipped when it passes `zipAboveBytes`, or one
 * CSV per `rowsPerFile` rows (each with its header) in a ZIP. Rows are generated as the body is read;
 * at most `zipAboveBytes` of text is held, to decide whether a single file is zipped.
 */
export function exportFile(o: ExportFileOptions): ExportFile {
  const files = Math.max(1, Math.ceil(o.rows / o.rowsPerFile));
  const part = (k: number) => csvChunks(o, k * o.rowsPerFile, Math.min(o.rows, (k + 1) * o.rowsPerFile));
  if (files === 1) {
    const chunks = part(0);
    const head: string[] = [];
    let bytes = 0;
    let ended = false;
    while (bytes <= o.zipAboveBytes) {
      const next = chunks.next();
      if (next.done === true) {
        ended = true;
        break;
      }
      head.push(next.value);
      bytes += Buffer.byteLength(next.value);
    }
    if (ended) {
      return {
        contentType: 'text/csv',
        fileName: `${o.name}.csv`,
        body: (async function* () {
          for (const text of head) yield encoder.encode(text);
        })(),
      };
    }
    const whole = (function* () {
      yield* head;
      yield* chunks;
    })();
    return {
      contentType: 'application/zip',
      fileName: `${o.name}.zip`,
      body: zipped([[`${o.name}.csv`, whole]]),
    };
  }
  const entries = Array.from({ length: files }, (_, k): [string, Iterable<string>] => [
    `${o.name}-${k + 1}.csv`,
    { [Symbol.iterator]: () => part(k) },
  ]);
  return { contentType: 'application/zip', fileName: `${o.name}.zip`, body: zipped(entries) };
}

function* csvChunks(o: ExportFileOptions, from: number, to: number): Generator<string> {
  let text = `${o.header.map(field).join(',')}\r\n`;
  for (let i = from; i < to; i++) {
    const values = o.valuesAt(i);
    const cells: string[] = [];
    for (let k = 0; k < o.header.length; k++) {
      const def = o.defs[k];
      cells.push(field(cell(def, def === undefined ? null : (values[def.name] ?? null), o.internalValues)));
    }
    text += `${cells.join(',')}\r\n`;
    if (text.length >= CHUNK_CHARS) {
      yield text;
      text = '';
    }
  }
  if (text !== '') yield text;
}

/**
 * INFERENCE (simulators/hubspot/README.md, CRM exports): internal values are the API's values, except
 * dates and datetimes, which come as epoch milliseconds ("timestamps instead of human-readable dates");
 * without VALUES, options show their labels and datetimes a readable UTC date and time.
 */
function cell(def: PropertyDef | undefined, value: string | null, internal: boolean): string {
  if (value === null || def === undefined) return '';
  if (def.type === 'datetime' || def.type === 'date') {
    const ms = Date.parse(value);
    if (!Number.isFinite(ms)) return value;
    return internal
      ? String(ms)
      : new Date(ms)
          .toISOString()
          .slice(0, def.type === 'date' ? 10 : 16)
          .replace('T', ' ');
  }
  if (!internal && def.type === 'bool') return value === 'true' ? 'Yes' : 'No';
  return value;
}

/** RFC 4180: quoted only when the value holds a comma, a quote or a line break. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

async function* zipped(
  entries: readonly (readonly [string, Iterable<string>])[],
): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, data) => {
    if (error) failure = error;
    else out.push(data);
  });
  for (const [name, chunks] of entries) {
    const file = new ZipDeflate(name, { level: 1 });
    zip.add(file);
    for (const text of chunks) {
      file.push(encoder.encode(text), false);
      if (failure !== null) throw failure;
      yield* out.splice(0);
    }
    file.push(new Uint8Array(0), true);
  }
  zip.end();
  if (failure !== null) throw failure;
  yield* out.splice(0);
}
