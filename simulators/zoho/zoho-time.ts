/**
 * Zoho writes datetimes in the org's time zone with its offset (`2026-01-01T15:30:00+05:30`), to the
 * second; dates as `YYYY-MM-DD`. The simulated org's offset is configurable (default +05:30) so every
 * client has to honour offsets rather than assume UTC.
 */
export class OrgTime {
  readonly offsetMinutes: number;

  constructor(offsetMinutes: number) {
    this.offsetMinutes = offsetMinutes;
  }

  /** Epoch ms → the org's local time with offset, whole seconds. */
  format(ms: number): string {
    const local = new Date(Math.floor(ms / 1000) * 1000 + this.offsetMinutes * 60_000);
    const sign = this.offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(this.offsetMinutes);
    const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    return `${local.toISOString().slice(0, 19)}${offset}`;
  }
}

/** `YYYY-MM-DD` of an epoch ms (UTC). */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** An ISO-8601 datetime a client sent (If-Modified-Since, a criteria value); null when unreadable. */
export function parseClientTime(text: string | undefined | null): number | null {
  if (text === undefined || text === null || text.trim() === '') return null;
  const ms = Date.parse(text.trim());
  return Number.isFinite(ms) ? ms : null;
}
