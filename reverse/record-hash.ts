import { createHash } from 'node:crypto';
import type { CanonicalValue } from '../core/destination.js';

/**
 * The fingerprint of what a sync would write to one record: CRM field names and validated values,
 * order-independent. Mapping a new field or changing a value changes it; `tide.pushed` keeps the
 * fingerprint of the last confirmed write, so equal fingerprints cost no API call.
 */
export function recordHash(values: Readonly<Record<string, CanonicalValue>>): string {
  return createHash('sha256').update(canonicalJson(values)).digest('hex').slice(0, 32);
}

/** JSON with keys sorted, so equal value maps always serialize equally. */
export function canonicalJson(values: Readonly<Record<string, CanonicalValue>>): string {
  const keys = Object.keys(values).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(values[k])}`).join(',')}}`;
}
