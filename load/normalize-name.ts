import { createHash } from 'node:crypto';

/**
 * The one normalizer for names that come from outside (CRM fields, objects, config source names):
 * ASCII snake_case, no leading digit, at most 63 characters (a hashed suffix keeps long names
 * distinct). Leading underscores are stripped, so no CRM name can collide with Tide's `_tide_*`
 * system columns. A field called `"; drop table x; --` becomes
 * `drop_table_x`: harmless as an identifier, and identifiers are quoted anyway.
 */
const MAX_LENGTH = 63;

export function normalizeName(name: string): string {
  let out = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (out.includes('___')) out = out.replace(/_{3,}/g, '__');
  if (out === '') out = `field_${shortHash(name)}`;
  if (/^[0-9]/.test(out)) out = `_${out}`;
  if (out.length > MAX_LENGTH) out = `${out.slice(0, MAX_LENGTH - 9)}_${shortHash(name)}`;
  return out;
}

/**
 * Normalizes a set of names at once: when two different names land on the same identifier (`Email`
 * and `email`), every name except the one already equal to it gets a hashed suffix.
 */
export function normalizeNames(names: readonly string[]): Map<string, string> {
  const byTarget = new Map<string, string[]>();
  for (const name of new Set(names)) {
    const target = normalizeName(name);
    const list = byTarget.get(target);
    if (list) list.push(name);
    else byTarget.set(target, [name]);
  }
  const out = new Map<string, string>();
  for (const [target, list] of byTarget) {
    for (const name of list) {
      const unique = list.length === 1 || name === target;
      out.set(name, unique ? target : `${target.slice(0, MAX_LENGTH - 9)}_${shortHash(name)}`);
    }
  }
  return out;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
