/**
 * Reads the timestamp shapes CRMs send into epoch milliseconds (null when it is not one):
 * - epoch milliseconds, as a number or a string of digits (HubSpot). Epoch *seconds* are not
 *   guessed: no CRM Tide reads sends them, and a guess would misread early-1970s millisecond values;
 * - ISO-8601 with `T` or a space, optional seconds and fraction, and `Z`, `±HH:MM` or `±HHMM`
 *   (Salesforce sends `+0000`). A string without a zone is UTC (Pipedrive's `2024-01-31 12:00:00`):
 *   never the machine's local time, so a load gives the same result on every machine;
 * - a date alone (`2024-01-31`) is midnight UTC;
 * - a JS Date.
 * Impossible dates (`2024-02-30`), out-of-range parts and years outside 0001–9999 give null.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const EPOCH_MS = /^[+-]?\d+$/;
/** What sources emit for updatedAt and most timestamps (toISOString's shape): parsed natively. */
const CANONICAL = /^\d{4}-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: what every warehouse can store. */
const MIN_MS = -62_135_596_800_000;
const MAX_MS = 253_402_300_799_999;

export function parseTimestampMs(value: unknown): number | null {
  if (typeof value === 'number') return inRange(Math.trunc(value));
  if (value instanceof Date) return inRange(value.getTime());
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const canonical = CANONICAL.exec(text);
  if (canonical !== null) {
    // Date.parse rolls 2024-02-30 over into March; the day check (leap years aside, which the
    // general path below settles) keeps impossible dates out.
    const day = Number(canonical[2]);
    if (day <= (DAYS_IN_MONTH[Number(canonical[1]) - 1] ?? 0) && !(day === 29 && canonical[1] === '02')) {
      const ms = Date.parse(text);
      if (Number.isFinite(ms)) return inRange(ms);
    }
  }
  if (EPOCH_MS.test(text)) return inRange(Number(text));
  const m = ISO.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const offsetMinutes = parseZone(zone);
  if (offsetMinutes === null) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // setUTCFullYear rolls 2024-02-30 over into March: reject instead of silently moving the date.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  date.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, '0')));
  return inRange(date.getTime() - offsetMinutes * 60_000);
}

function parseZone(zone: string): number | null {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 18 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

function inRange(ms: number): number | null {
  return Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS ? ms : null;
}
