/**
 * The `Prefer` header as Dataverse reads it: comma-separated preferences, possibly over several
 * headers, values optionally quoted (`odata.include-annotations="*"`). Clients combine them freely:
 * dynamics-web-api sends `odata.maxpagesize=100,odata.track-changes`.
 */
export interface Preferences {
  readonly maxPageSize: number | null;
  readonly trackChanges: boolean;
  readonly annotations: string | null;
  readonly continueOnError: boolean;
  readonly returnRepresentation: boolean;
}

export const MAX_PAGE_SIZE = 5000;

export function parsePrefer(header: string | readonly string[] | undefined): Preferences {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of raw) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim() !== '') parts.push(current.trim());
  let maxPageSize: number | null = null;
  let trackChanges = false;
  let annotations: string | null = null;
  let continueOnError = false;
  let returnRepresentation = false;
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value =
      eq < 0
        ? ''
        : part
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1');
    if (name === 'odata.maxpagesize') {
      const n = Number(value);
      if (Number.isInteger(n) && n > 0) maxPageSize = n;
    } else if (name === 'odata.track-changes') trackChanges = true;
    else if (name === 'odata.include-annotations') annotations = value;
    else if (name === 'odata.continue-on-error') continueOnError = true;
    else if (name === 'return' && value === 'representation') returnRepresentation = true;
  }
  return { maxPageSize, trackChanges, annotations, continueOnError, returnRepresentation };
}

/** What Dataverse answers in `Preference-Applied` for a read. */
export function appliedPreferences(prefs: Preferences, pageSize: number, tracking: boolean): string | null {
  const applied: string[] = [];
  if (prefs.maxPageSize !== null) applied.push(`odata.maxpagesize=${pageSize}`);
  if (tracking) applied.push('odata.track-changes');
  if (prefs.annotations !== null) applied.push(`odata.include-annotations="${prefs.annotations}"`);
  return applied.length > 0 ? applied.join(',') : null;
}
