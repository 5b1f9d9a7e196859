import { TideError } from '../../core/tide-error.js';

/**
 * Zoho datetimes carry the org's offset (`2026-01-01T15:30:00+05:30`) and whole seconds. Tide keeps
 * instants as ISO UTC with milliseconds.
 */
export function zohoTimeMs(text: string, what: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms))
    throw new TideError(
      'malformed_response',
      `Zoho sent an unreadable datetime in ${what}: ${JSON.stringify(text).slice(0, 60)}`,
    );
  return ms;
}

/** An instant as Zoho takes it in headers and criteria: whole seconds, explicit UTC offset. */
export function toZohoTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}+00:00`;
}
