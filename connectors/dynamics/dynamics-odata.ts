/** OData literals as Dataverse reads them in `$filter` and keys. */

/** A datetime literal, unquoted, whole seconds (Dataverse keeps seconds): `2026-01-01T00:00:00Z`. */
export function odataTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** A string literal: single quotes, a quote inside doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
