import { z } from 'zod';
import { sourceName } from '../core/config-pieces.js';
import type { DestinationCapabilities } from '../core/destination.js';
import { ConflictsSchema, unknownRuleFields } from './conflict-rules.js';

/** The CRMs accept at most 100 records per batch call (HubSpot batch/*, Tide's cap for Salesforce too). */
export const MAX_BATCH_SIZE = 100;

/** Sync names key `tide.pushed`, so they are plain identifiers. */
export const syncName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _ (start with a letter, at most 63)');

/** Warehouse columns are inlined in SQL (quoted), so only plain identifiers are accepted. */
const columnName = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'a warehouse column name (letters, digits and _, not starting with a digit)',
  );

const modelName = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/,
    'a model as schema.table, e.g. analytics.customer_scores',
  );

const crmFieldName = z.string().trim().min(1, 'a CRM field name').max(255);

/** `from: 'analytics.customer_scores'`, `{ model: ... }` or `{ sql: 'select ...' }`. */
const FromSchema = z.union([
  modelName.transform((model) => ({ kind: 'model' as const, model })),
  z
    .object({ model: modelName })
    .strict()
    .transform(({ model }) => ({ kind: 'model' as const, model })),
  z
    .object({ sql: z.string().trim().min(1, 'a SELECT statement') })
    .strict()
    .transform(({ sql }) => ({ kind: 'sql' as const, sql: sql.replace(/;\s*$/, '') })),
]);
export type SyncFrom = z.output<typeof FromSchema>;

const MatchSchema = z.discriminatedUnion('by', [
  /** The CRM's own record id, carried through the models (e.g. `hubspot_id`). */
  z.object({ by: z.literal('id'), column: columnName }).strict(),
  /** The CRM's email field (HubSpot `email`, Salesforce `Email`), compared case-insensitively. */
  z.object({ by: z.literal('email'), column: columnName, field: crmFieldName.optional() }).strict(),
  /** A unique / external-id field of the CRM object. */
  z.object({ by: z.literal('external-id'), column: columnName, field: crmFieldName }).strict(),
]);

export const SYNC_MODES = ['update', 'upsert', 'fill-empty'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

export const SyncSchema = z
  .object({
    name: syncName,
    from: FromSchema,
    to: z.object({ crm: sourceName, object: z.string().trim().min(1) }).strict(),
    match: MatchSchema,
    /** Warehouse column → CRM field. Only these fields are ever written. */
    fields: z
      .record(columnName, crmFieldName)
      .refine((f) => Object.keys(f).length > 0, 'map at least one column to a CRM field'),
    /** update: existing records only · upsert: create when no match · fill-empty: only empty CRM fields. */
    mode: z.enum(SYNC_MODES).default('update'),
    /**
     * What happens to a field a person changed in the CRM since Tide last pushed it (a conflict):
     * `report` (default), `keep-crm` or `overwrite`, for every field or per CRM field
     * (reverse/conflict-rules.ts). fill-empty never overwrites a value, so it has none.
     */
    conflicts: ConflictsSchema.optional(),
    batchSize: z
      .number()
      .int()
      .positive()
      .max(
        MAX_BATCH_SIZE,
        `batchSize is at most ${MAX_BATCH_SIZE}: the CRMs take at most 100 records per call`,
      )
      .default(MAX_BATCH_SIZE),
    /** What a NULL in the warehouse means: leave the CRM field alone (skip) or clear it. */
    nulls: z.enum(['skip', 'clear']).default('skip'),
    /** Write calls in flight for this sync (the account's rate budget still paces them). */
    concurrency: z.number().int().positive().max(32).optional(),
    /** `tide reverse` exits non-zero when rejected / attempted records exceed this share. */
    maxRejectRate: z.number().min(0).max(1).default(0.05),
  })
  .strict()
  .superRefine((sync, ctx) => {
    if (sync.mode === 'upsert' && sync.match.by === 'id') {
      ctx.addIssue({
        code: 'custom',
        path: ['mode'],
        message:
          'upsert creates records, so it needs match by email or external-id (a CRM id cannot be chosen)',
      });
    }
    if (sync.conflicts !== undefined && sync.mode === 'fill-empty') {
      ctx.addIssue({
        code: 'custom',
        path: ['conflicts'],
        message:
          'fill-empty writes only empty CRM fields, so nothing a person typed is ever overwritten: conflict rules apply to update and upsert',
      });
    }
    for (const name of unknownRuleFields(sync)) {
      ctx.addIssue({
        code: 'custom',
        path: ['conflicts', 'fields', name],
        message: `"${name}" is not a CRM field of this sync (mapped: ${Object.values(sync.fields).join(', ')})`,
      });
    }
    const seen = new Map<string, string>();
    for (const [column, field] of Object.entries(sync.fields)) {
      const other = seen.get(field.toLowerCase());
      if (other !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', column],
          message: `columns "${other}" and "${column}" both map to CRM field "${field}"`,
        });
      }
      seen.set(field.toLowerCase(), column);
      const matchField = sync.match.by === 'id' ? undefined : sync.match.field;
      if (matchField !== undefined && matchField.toLowerCase() === field.toLowerCase()) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', column],
          message: `"${field}" is the match field: the match column already identifies records by it`,
        });
      }
    }
  });
export type SyncInput = z.input<typeof SyncSchema>;
export type SyncConfig = z.output<typeof SyncSchema>;

export const SyncsSchema = z.array(SyncSchema).default([]);

interface IssueSink {
  addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string }): void;
}

/**
 * Checks that need the whole config: sync names are unique, `to.crm` names a configured source, and
 * that CRM can do what the sync asks (how it matches, whether it can upsert, which objects).
 */
/** A CRM kind's vendor name and write capabilities (null: Tide cannot write to it). */
export type CapabilitiesLookup = (
  kind: string,
) => { readonly vendor: string; readonly capabilities: DestinationCapabilities | null } | undefined;

export function refineSyncs(
  syncs: readonly SyncConfig[],
  sources: readonly { readonly name: string; readonly kind: string }[],
  capabilitiesOf: CapabilitiesLookup,
  ctx: IssueSink,
): void {
  const names = new Set<string>();
  syncs.forEach((sync, i) => {
    if (names.has(sync.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['syncs', i, 'name'],
        message: `duplicate sync name "${sync.name}"`,
      });
    }
    names.add(sync.name);
    const source = sources.find((s) => s.name === sync.to.crm);
    if (source === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['syncs', i, 'to', 'crm'],
        message: `no source named "${sync.to.crm}" (configured: ${sources.map((s) => s.name).join(', ') || 'none'})`,
      });
      return;
    }
    const connector = capabilitiesOf(source.kind);
    const caps = connector?.capabilities ?? null;
    if (connector === undefined || caps === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['syncs', i, 'to', 'crm'],
        message: `reverse ETL does not support ${source.kind} sources yet`,
      });
      return;
    }
    if (!caps.match.includes(sync.match.by)) {
      ctx.addIssue({
        code: 'custom',
        path: ['syncs', i, 'match', 'by'],
        message: `${connector.vendor} cannot match by ${sync.match.by}: ${caps.matchAdvice}`,
      });
    }
    if (sync.mode === 'upsert' && !caps.upsertBy.includes(sync.match.by)) {
      ctx.addIssue({
        code: 'custom',
        path: ['syncs', i, 'mode'],
        message: `${connector.vendor} cannot upsert by ${sync.match.by}: ${caps.upsertAdvice}`,
      });
    }
    if (caps.objects !== null && !caps.objects.includes(sync.to.object)) {
      ctx.addIssue({
        code: 'custom',
        path: ['syncs', i, 'to', 'object'],
        message: `${connector.vendor} object must be one of ${caps.objects.join(', ')}`,
      });
    }
  });
}
