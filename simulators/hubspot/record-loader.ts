import { z } from 'zod';
import { parseTime } from './filter-predicate.js';
import { createdName, lastModifiedName, type ObjectType } from './hubspot-object-types.js';
import type { HubspotStore } from './hubspot-store.js';
import type { PropertyValues } from './object-table.js';

const LoadedRecord = z.object({
  id: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number),
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().default(false),
  archivedAt: z.string().optional(),
});

/** Properties whose values come from the table columns, never from a loaded record's overlay. */
const SYSTEM = new Set([
  'hs_object_id',
  'createdate',
  'hs_createdate',
  'lastmodifieddate',
  'hs_lastmodifieddate',
]);

/**
 * Loads NDJSON records in the truth shape (`{id, properties, createdAt, updatedAt, archived,
 * archivedAt?}`), replacing records with the same id. Unknown property names become custom string
 * properties, so a truth dump from another portal loads as is.
 */
export function loadRecords(store: HubspotStore, type: ObjectType, lines: Iterable<string>): number {
  const table = store.table(type);
  let count = 0;
  for (const line of lines) {
    const record = LoadedRecord.parse(JSON.parse(line));
    const props = record.properties;
    const time = (iso: string | undefined, property: string): number | null => {
      const fromProperty = props[property];
      return parseTime(
        iso ?? (fromProperty === null || fromProperty === undefined ? '' : String(fromProperty)),
      );
    };
    const createdMs = time(record.createdAt, createdName(type)) ?? store.clock.now();
    const modifiedMs = time(record.updatedAt, lastModifiedName(type)) ?? createdMs;
    const archivedMs = record.archived ? (time(record.archivedAt, '') ?? modifiedMs) : Number.NaN;
    const overlay: PropertyValues = {};
    for (const [name, value] of Object.entries(props)) {
      if (SYSTEM.has(name)) continue;
      if (store.catalog.get(type, name) === undefined)
        store.catalog.add(type, { name, type: 'string' }, false);
      overlay[name] = value === null || value === '' ? null : String(value);
    }
    const existing = table.slotOf(record.id);
    const row = { id: record.id, createdMs, modifiedMs, archivedMs, base: -1, kind: 0 };
    if (existing === undefined) {
      table.overlay.set(table.append(row), overlay);
    } else {
      // A replaced seeded row keeps its seeded links; the loaded values cover its properties.
      table.replace(existing, { ...row, base: table.base(existing), kind: table.kind(existing) });
      table.overlay.set(existing, overlay);
    }
    count++;
  }
  if (type === 'contacts') store.forgetEmails();
  return count;
}
