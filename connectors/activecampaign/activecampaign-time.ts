/**
 * ActiveCampaign's clocks. Timestamps carry the account's offset (`2018-09-12T16:53:50-05:00`) and
 * parse to exact instants; `0000-00-00…` and null mean "none". List filters (`filters[updated_after]`)
 * are read in the account's wall-clock time (PROTOCOL-FACTS §3: INFERENCE, and what the simulator
 * does), so a bound is sent as the account's local digits, without an offset. The account's offset is
 * learned from the timestamps it answers with; a daylight-saving change between the bound and the
 * time the offset was seen can shift it by an hour, so the bound is widened by that much (records
 * read early are dropped client-side against the exact UTC bound).
 */

/** What a daylight-saving change can move an offset by. */
export const DST_SLACK_MS = 60 * 60_000;
/** The widest offsets there are (UTC-12:00 … UTC+14:00): the slack used before any offset is known. */
const UNKNOWN_OFFSET_SLACK_MS = 14 * 60 * 60_000;

/** An ActiveCampaign timestamp as epoch ms; null for none, empty, zero dates or garbage. */
export function acTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '' || text.startsWith('0000-00-00')) return null;
  // `YYYY-MM-DD HH:MM:SS` without an offset (custom field data): not an instant Tide relies on.
  const ms = Date.parse(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isFinite(ms) ? ms : null;
}

/** The UTC offset (minutes) a timestamp states, or null when it states none. */
export function offsetOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = /T\d\d:\d\d:\d\d(?:\.\d+)?(Z|([+-])(\d\d):?(\d\d))$/.exec(value.trim());
  if (m === null) return null;
  if (m[1] === 'Z') return 0;
  const minutes = Number(m[3]) * 60 + Number(m[4]);
  return m[2] === '-' ? -minutes : minutes;
}

/** The account's offset as learned from its own timestamps (one per connection). */
export class AccountClock {
  #offsetMinutes: number | null = null;

  get offsetMinutes(): number | null {
    return this.#offsetMinutes;
  }

  /** Remembers the offset of the first timestamp that states one. */
  learn(...values: readonly unknown[]): void {
    if (this.#offsetMinutes !== null) return;
    for (const v of values) {
      const offset = offsetOf(v);
      if (offset !== null) {
        this.#offsetMinutes = offset;
        return;
      }
    }
  }

  /**
   * A lower bound for `filters[updated_after|created_after]`: the instant `ms`, widened by the DST
   * slack (or by the widest offset when none is known yet), as the account's local wall-clock digits
   * `YYYY-MM-DDTHH:MM:SS`. Never later than `ms` in the account's reading.
   */
  filterValue(ms: number): string {
    const offset = this.#offsetMinutes;
    const local = offset === null ? ms - UNKNOWN_OFFSET_SLACK_MS : ms - DST_SLACK_MS + offset * 60_000;
    return new Date(Math.floor(Math.max(0, local) / 1000) * 1000).toISOString().slice(0, 19);
  }
}
