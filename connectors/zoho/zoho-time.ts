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

/**
 * The latest instant a run's cursor may reach: the end of the second before the run started. Zoho
 * stamps whole seconds, so a record read during the run's own second can change again within it and
 * keep its Modified_Time; the ids saved at a cursor value are complete only for a second that ended
 * before the run began (a later one is read again next run instead of being skipped as loaded).
 */
export function cursorCeiling(runStartedAt: Date): Date {
  return new Date(Math.floor(runStartedAt.getTime() / 1000) * 1000 - 1);
}
