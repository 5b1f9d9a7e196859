/** Building the few SOQL statements Tide sends, with literals written the way SOQL wants them. */

/** An unquoted UTC datetime literal, whole seconds (rounded down: the bounds Tide writes are lower bounds). */
export function soqlDateTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** A quoted string literal with SOQL's backslash escapes. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Field and object names come from describe; anything else in a query would be an injection. */
export function soqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new RangeError(`not a Salesforce API name: ${JSON.stringify(name)}`);
  return name;
}

export interface SelectSpec {
  readonly fields: readonly string[];
  readonly object: string;
  /** Inclusive lower bound on SystemModstamp (ms), or null for every record. */
  readonly fromMs: number | null;
  readonly ordered: boolean;
}

/** `SELECT … FROM … [WHERE SystemModstamp >= t] [ORDER BY SystemModstamp, Id]`. */
export function selectSoql(spec: SelectSpec): string {
  const fields = spec.fields.map(soqlIdentifier).join(', ');
  return [
    `SELECT ${fields} FROM ${soqlIdentifier(spec.object)}`,
    ...(spec.fromMs === null ? [] : [`WHERE SystemModstamp >= ${soqlDateTime(spec.fromMs)}`]),
    ...(spec.ordered ? ['ORDER BY SystemModstamp ASC, Id ASC'] : []),
  ].join(' ');
}

export function countSoql(object: string, fromMs: number | null): string {
  return [
    `SELECT COUNT() FROM ${soqlIdentifier(object)}`,
    ...(fromMs === null ? [] : [`WHERE SystemModstamp >= ${soqlDateTime(fromMs)}`]),
  ].join(' ');
}
