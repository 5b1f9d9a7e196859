import { z } from 'zod';
import type { CanonicalValue, CrmField } from '../../core/destination.js';

/** A HubSpot batch write/read answer: 200 (all ok) or 207 (some inputs failed, named in `context.ids`). */
export const HubspotBatchResultSchema = z.object({
  status: z.string().optional(),
  results: z
    .array(
      z.object({
        id: z.string(),
        properties: z.record(z.string(), z.string().nullable()).optional(),
        new: z.boolean().optional(),
      }),
    )
    .default([]),
  numErrors: z.number().optional(),
  errors: z
    .array(
      z.object({
        status: z.string().optional(),
        category: z.string().optional(),
        message: z.string().optional(),
        context: z.record(z.string(), z.array(z.string())).optional(),
      }),
    )
    .default([]),
});
export type HubspotBatchResult = z.output<typeof HubspotBatchResultSchema>;

/** A whole-call refusal (400 / 409): who is to blame is not said, so the batch is split. */
export const HubspotCallErrorSchema = z
  .object({
    message: z.string().optional(),
    category: z.string().optional(),
    correlationId: z.string().optional(),
  })
  .loose();

/** HubSpot property values are strings; an empty string clears a value. */
export function encodeHubspotValue(field: CrmField | undefined, value: CanonicalValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join(';');
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (field?.type === 'date') {
    // Date properties take midnight UTC as epoch milliseconds (accepted by every API version).
    return String(Date.parse(`${value}T00:00:00Z`));
  }
  if (field?.type === 'datetime') return String(Date.parse(String(value)));
  return String(value);
}

/** The message of one 207 error, with its category, as a record's rejection reason. */
export function errorReason(error: HubspotBatchResult['errors'][number]): string {
  const category = error.category ? `${error.category}: ` : '';
  return `${category}${error.message ?? 'rejected by HubSpot'}`;
}
