import { z } from 'zod';
import type { CanonicalValue } from '../core/destination.js';

/**
 * Who owns a field once a person has changed in the CRM what Tide last pushed there (a conflict):
 * - `overwrite`: the warehouse owns it: Tide pushes its value and records that it overwrote an edit;
 * - `keep-crm`: the CRM owns it: Tide does not push that field for that record until the values agree
 *   again (the CRM holds what Tide last pushed, or what Tide would push now);
 * - `report`: Tide pushes nothing for that record's field and lists the conflict, every run, until
 *   someone settles it (edits the CRM or the model, or chooses another rule).
 */
export const CONFLICT_RULES = ['report', 'keep-crm', 'overwrite'] as const;
export type ConflictRule = (typeof CONFLICT_RULES)[number];

/** Nothing a person typed is lost unless someone chose so. */
export const DEFAULT_CONFLICT_RULE: ConflictRule = 'report';

const Rule = z.enum(CONFLICT_RULES);

/** `conflicts: 'keep-crm'` (every field) or `{ default, fields: { <CRM field>: rule } }`. */
export const ConflictsSchema = z.union([
  Rule.transform((rule) => ({ default: rule, fields: {} as Record<string, ConflictRule> })),
  z
    .object({
      default: Rule.default(DEFAULT_CONFLICT_RULE),
      /** CRM field (as named in the sync's `fields`) → its rule. */
      fields: z.record(z.string().trim().min(1), Rule).default({}),
    })
    .strict(),
]);
export type ConflictRules = z.output<typeof ConflictsSchema>;

interface RuledSync {
  readonly fields: Readonly<Record<string, string>>;
  readonly conflicts?: ConflictRules | undefined;
}

/** The rule of one mapped CRM field, named as the sync's `fields` name it. */
export function conflictRule(sync: RuledSync, field: string): ConflictRule {
  const rules = sync.conflicts;
  if (rules === undefined) return DEFAULT_CONFLICT_RULE;
  const lower = field.toLowerCase();
  const own = Object.entries(rules.fields).find(([name]) => name.toLowerCase() === lower);
  return own?.[1] ?? rules.default;
}

/** Config keys of `conflicts.fields` that are no mapped CRM field (each is a mistake worth naming). */
export function unknownRuleFields(sync: RuledSync): string[] {
  const mapped = new Set(Object.values(sync.fields).map((f) => f.toLowerCase()));
  return Object.keys(sync.conflicts?.fields ?? {}).filter((name) => !mapped.has(name.toLowerCase()));
}

/** One line for `tide doctor` and the docs: `report (tide_score: overwrite)`. */
export function describeConflictRules(sync: RuledSync): string {
  const rules = sync.conflicts;
  const base = rules?.default ?? DEFAULT_CONFLICT_RULE;
  const own = Object.entries(rules?.fields ?? {}).map(([field, rule]) => `${field}: ${rule}`);
  return own.length === 0 ? base : `${base} (${own.join(', ')})`;
}

/** A field a person changed in the CRM since Tide last pushed it, and what its rule does about it. */
export interface FieldConflict {
  /** The CRM field as the sync's `fields` names it (what `conflicts.fields` keys). */
  readonly field: string;
  /** The name writes use (`CrmField.name`: a Pipedrive hash key, say). */
  readonly crmField: string;
  readonly crmValue: unknown;
  readonly pushedValue: CanonicalValue;
  readonly newValue: CanonicalValue;
  readonly rule: ConflictRule;
  readonly seenIn: 'raw' | 'read';
}
