/**
 * ActiveCampaign speaks the account's local time: timestamps carry the account's UTC offset
 * (`2018-09-12T16:53:50-05:00`, PROTOCOL-FACTS §3 "Shapes"), and list filters such as
 * `filters[updated_after]` are read as the account's wall-clock time (INFERENCE, §3 "Paging &
 * incremental"): whatever offset or `Z` a client appends is ignored, only the digits count.
 */
export class AccountTime {
  /** Minutes east of UTC (-300 = UTC-05:00, the offset of the reference's examples). */
  offsetMinutes: number;

  constructor(offsetMinutes: number) {
    this.offsetMinutes = offsetMinutes;
  }

  /** `YYYY-MM-DDTHH:MM:SS±HH:MM` in the account's offset (whole seconds). */
  format(ms: number): string {
    return `${this.#digits(ms, 'T')}${offsetText(this.offsetMinutes)}`;
  }

  /** `YYYY-MM-DD HH:MM:SS` in the account's wall-clock time, no offset (custom field data timestamps). */
  formatPlain(ms: number): string {
    return this.#digits(ms, ' ');
  }

  /**
   * A filter value as the account reads it: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or with `T`; any
   * fraction or offset after the seconds is ignored. Null when it is not a date at all.
   */
  parseFilter(value: string): number | null {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value.trim());
    if (m === null) return null;
    const [, y, mo, d, h, mi, s] = m;
    const wall = Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(s ?? 0),
    );
    if (!Number.isFinite(wall)) return null;
    return wall - this.offsetMinutes * 60_000;
  }

  #digits(ms: number, separator: string): string {
    const local = new Date(Math.floor(ms / 1000) * 1000 + this.offsetMinutes * 60_000).toISOString();
    return `${local.slice(0, 10)}${separator}${local.slice(11, 19)}`;
  }
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The simulator stores whole seconds, as ActiveCampaign's timestamps have no fraction. */
export function toSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
