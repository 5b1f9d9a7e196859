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
/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: what every warehouse can store. */
const MIN_MS = -62_135_596_800_000;
const MAX_MS = 253_402_300_799_999;
const MS_PER_DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function parseTimestampMs(value: unknown): number | null {
  if (typeof value === 'number') return inRange(Math.trunc(value));
  if (value instanceof Date) return inRange(value.getTime());
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const m = ISO.exec(text);
  if (m === null) return EPOCH_MS.test(text) ? inRange(Number(text)) : null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  // Checked by hand: Date.parse and Date.UTC silently roll 2024-02-30 over into March.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const offsetMinutes = parseZone(zone);
  if (offsetMinutes === null) return null;
  const millis = fraction === '' ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const ms =
    daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return inRange(ms - offsetMinutes * 60_000);
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1]!;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): plain
 * arithmetic, so no Date object per value and no two-digit-year quirk of Date.UTC.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
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
