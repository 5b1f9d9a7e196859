import type { CrmField } from '../core/destination.js';
import type { SyncConfig } from './sync-config.js';

export interface FieldCheck {
  /** Mapped warehouse column → its CRM field (only the columns that resolved). */
  readonly fields: ReadonlyMap<string, CrmField>;
  /** The field records are matched on (email / external id); null when matching by CRM id. */
  readonly matchField: CrmField | null;
  /** One message per problem, naming the sync and the field; empty when the sync can run. */
  readonly problems: readonly string[];
}

/**
 * Checks a sync's mapping against the CRM's own metadata before anything is written: every mapped
 * field must exist, be writable and have a type Tide can validate; the match field must exist and be
 * able to key a write. Field names resolve exactly, then case-insensitively, then by unique label
 * (Pipedrive's custom fields are keyed by 40-character hashes nobody types).
 */
export function checkFields(
  sync: SyncConfig,
  vendor: string,
  available: readonly CrmField[],
  emailField: string | null,
): FieldCheck {
  const where = `sync "${sync.name}" (${vendor} ${sync.to.object})`;
  const problems: string[] = [];
  const fields = new Map<string, CrmField>();

  for (const [column, name] of Object.entries(sync.fields)) {
    const field = resolveField(available, name);
    if (field === null) {
      problems.push(
        `${where}: field "${name}" (from column ${column}) does not exist${suggest(available, name)}`,
      );
      continue;
    }
    if (field.readOnlyReason !== null) {
      problems.push(`${where}: field "${name}" is not writable (${field.readOnlyReason})`);
      continue;
    }
    if (field.type === 'unsupported') {
      problems.push(`${where}: field "${name}" has type ${field.vendorType}, which Tide cannot write`);
      continue;
    }
    fields.set(column, field);
  }

  let matchField: CrmField | null = null;
  if (sync.match.by !== 'id') {
    const name = sync.match.field ?? emailField;
    if (name === null) {
      problems.push(`${where}: match by ${sync.match.by} needs match.field`);
    } else {
      matchField = resolveField(available, name);
      if (matchField === null) {
        problems.push(`${where}: match field "${name}" does not exist${suggest(available, name)}`);
      } else if (sync.match.by === 'external-id' && !matchField.unique) {
        problems.push(
          `${where}: match field "${name}" is not a unique / external-id field, so ${vendor} cannot key writes on it`,
        );
      } else if (sync.mode === 'upsert' && matchField.readOnlyReason !== null) {
        problems.push(
          `${where}: upsert sets the match field "${name}" on new records, but it is not writable`,
        );
      }
    }
  }
  return { fields, matchField, problems };
}

export function resolveField(available: readonly CrmField[], name: string): CrmField | null {
  const exact = available.find((f) => f.name === name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  const byName = available.filter((f) => f.name.toLowerCase() === lower);
  if (byName.length === 1) return byName[0]!;
  const byLabel = available.filter((f) => f.label.toLowerCase() === lower);
  return byLabel.length === 1 ? byLabel[0]! : null;
}

function suggest(available: readonly CrmField[], name: string): string {
  const lower = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (lower.length < 3) return '';
  const close = available
    .filter((f) => {
      const n = f.name.toLowerCase().replace(/[^a-z0-9]/g, '');
      const l = f.label.toLowerCase().replace(/[^a-z0-9]/g, '');
      return (
        (n.length >= 3 && (n.includes(lower) || lower.includes(n))) ||
        l.includes(lower) ||
        editDistance(n, lower) <= 2
      );
    })
    .slice(0, 3)
    .map((f) => f.name);
  return close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : '';
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
