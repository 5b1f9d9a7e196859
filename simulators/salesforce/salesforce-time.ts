/**
 * How Salesforce writes dates. REST JSON: `2013-05-20T20:49:32.000+0000`; Bulk API CSV:
 * `2013-05-20T20:49:32.000Z`. SystemModstamp and friends have whole-second precision.
 */
export function restDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function csvDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function toSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** Parses the datetime forms Salesforce accepts in JSON bodies (ISO with Z, ±hh:mm or ±hhmm). */
export function parseDateTime(text: string): number | null {
  const normalized = text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const ms = Date.parse(normalized);
  return Number.isFinite(ms) ? ms : null;
}
