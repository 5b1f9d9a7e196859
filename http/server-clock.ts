/**
 * The vendor's clock as its responses' `Date` headers tell it, kept as an offset from ours so it
 * carries forward between answers. Cursors clamp to it (HttpClient.serverNow, notBefore).
 */
export class ServerClock {
  /** The vendor's clock minus ours, from the newest response's `Date` header (null: none seen yet). */
  #offsetMs: number | null = null;

  /** Takes the vendor's time from a response's headers; a response without a readable `Date` changes nothing. */
  hear(headers: Headers): void {
    const serverDate = Date.parse(headers.get('date') ?? '');
    if (Number.isFinite(serverDate)) this.#offsetMs = serverDate - Date.now();
  }

  /** The vendor's "now" carried forward on our clock; null before the first answer with a `Date`. */
  now(): Date | null {
    return this.#offsetMs === null ? null : new Date(Date.now() + this.#offsetMs);
  }
}
