import { normalizeId } from './salesforce-ids.js';
import { parseDateTime } from './salesforce-time.js';
import type { FieldValue, SimField } from './sobject-schema.js';

export type Coerced =
  | { readonly ok: true; readonly value: FieldValue }
  | { readonly ok: false; readonly message: string };

/**
 * Turns a JSON value from a request body into the stored form of a field, the way Salesforce's
 * deserializer does (numeric strings are numbers, 'true' is true, datetimes are ISO strings).
 */
export function coerceValue(field: SimField, raw: unknown): Coerced {
  if (raw === null || raw === '') return { ok: true, value: null };
  const bad = (): Coerced => ({
    ok: false,
    message: `Cannot deserialize instance of ${field.type} from ${JSON.stringify(raw)} for field ${field.name}`,
  });
  switch (field.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (raw === 'true' || raw === 'false') return { ok: true, value: raw === 'true' };
      return bad();
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : Number.NaN;
      if (!Number.isFinite(n) || (field.type === 'int' && !Number.isInteger(n))) return bad();
      return { ok: true, value: n };
    }
    case 'datetime': {
      const ms = typeof raw === 'string' ? parseDateTime(raw) : typeof raw === 'number' ? raw : null;
      return ms === null ? bad() : { ok: true, value: Math.floor(ms / 1000) * 1000 };
    }
    case 'date':
      return typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? { ok: true, value: raw } : bad();
    case 'id':
    case 'reference': {
      if (typeof raw !== 'string') return bad();
      const id = normalizeId(raw);
      return id === null ? { ok: false, message: `malformed id ${raw}` } : { ok: true, value: id };
    }
    case 'picklist':
      if (typeof raw !== 'string') return bad();
      if (field.restricted && !(field.picklist ?? []).includes(raw)) {
        return { ok: false, message: `bad value for restricted picklist field: ${raw}` };
      }
      return { ok: true, value: raw };
    default:
      if (typeof raw === 'string') return { ok: true, value: raw };
      if (typeof raw === 'number' || typeof raw === 'boolean') return { ok: true, value: String(raw) };
      return bad();
  }
}
