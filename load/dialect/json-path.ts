/**
 * A JSONPath both DuckDB and BigQuery accept: string keys double-quoted (so CRM field names with
 * spaces or dots, `"Annual Revenue"`, `"a.b"`, address one key), numbers as array indexes.
 */
export function jsonPath(path: readonly (string | number)[]): string {
  return `$${path
    .map((key) =>
      typeof key === 'number'
        ? `[${Math.trunc(key)}]`
        : `."${key.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`,
    )
    .join('')}`;
}
