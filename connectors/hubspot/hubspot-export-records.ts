import { z } from 'zod';
import type { ColumnSpec } from '../../core/column-spec.js';
import { TideError } from '../../core/tide-error.js';
import type { CsvRow } from './hubspot-export-file.js';
import type { HubspotObject } from './hubspot-schemas.js';

export interface ExportRecordsOptions {
  /** The properties the export was asked for (its header must name each, internal names). */
  readonly properties: readonly string[];
  /** The stream's columns (hubspot-field-catalog.ts): which properties are dates and datetimes. */
  readonly columns: readonly ColumnSpec[];
  readonly what: string;
  readonly pageSize: number;
}

/** The header of each file: internal property names (NAMES), among them every property asked for. */
function headerSchema(required: readonly string[]) {
  return z.array(z.string()).superRefine((header, ctx) => {
    const have = new Set(header);
    const missing = required.filter((p) => !have.has(p));
    if (missing.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `no column for ${missing.length} requested properties (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}); header starts ${JSON.stringify(header.slice(0, 5))}`,
      });
    }
  });
}

/**
 * The export's rows as HubSpot records, exactly as the list API gives them: each property a string,
 * null when empty (HubSpot stores no empty strings: writing one clears the property), in pages that
 * hubspot-record.ts turns into source records like any list page. Internal values differ from the
 * list API's in one way: dates and datetimes come as epoch milliseconds (INFERENCE, see
 * simulators/hubspot/README.md), put back into the API's ISO form here.
 */
export async function* exportObjects(
  rows: AsyncIterable<CsvRow>,
  o: ExportRecordsOptions,
): AsyncGenerator<HubspotObject[]> {
  const kinds = new Map(o.columns.map((c) => [c.name, c.type]));
  const schema = headerSchema([...o.properties, 'hs_object_id']);
  let file = -1;
  let index: number[] = [];
  let idAt = 0;
  let width = 0;
  let times: { readonly at: number; readonly date: boolean }[] = [];
  let page: HubspotObject[] = [];
  for await (const { file: f, row } of rows) {
    if (f !== file) {
      // Every file of a partitioned export starts with its own header line.
      file = f;
      const parsed = schema.safeParse(row);
      if (!parsed.success) {
        throw new TideError(
          'malformed_response',
          `${o.what} (file ${f + 1}): ${parsed.error.issues.map((i) => i.message).join('; ')}`,
        );
      }
      const header = parsed.data;
      index = o.properties.map((p) => header.indexOf(p));
      idAt = header.indexOf('hs_object_id');
      width = header.length;
      times = o.properties.flatMap((p, k) => {
        const type = kinds.get(p);
        return type === 'timestamp' || type === 'date' ? [{ at: k, date: type === 'date' }] : [];
      });
      continue;
    }
    if (row.length !== width) {
      throw new TideError(
        'malformed_response',
        `${o.what} (file ${f + 1}): a row has ${row.length} values for ${width} columns`,
      );
    }
    const properties: Record<string, string | null> = {};
    for (let k = 0; k < index.length; k++) {
      const value = row[index[k]!]!;
      properties[o.properties[k]!] = value === '' ? null : value;
    }
    for (const { at, date } of times) {
      const name = o.properties[at]!;
      const value = properties[name];
      if (value !== null && value !== undefined && /^\d+$/.test(value)) {
        const iso = new Date(Number(value)).toISOString();
        properties[name] = date ? iso.slice(0, 10) : iso;
      }
    }
    page.push({ id: row[idAt]!, properties });
    if (page.length >= o.pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}
