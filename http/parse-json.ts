import type { z } from 'zod';
import { TideError } from '../core/tide-error.js';

/**
 * Where a vendor's JSON enters Tide: the body is parsed and checked with `schema`, and a body that
 * is not JSON or does not fit is a `malformed_response` naming `what` and the first few mismatches.
 */
export function parseJson<S extends z.ZodType>(text: string, schema: S, what: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TideError(
      'malformed_response',
      `${what} returned a body that is not JSON (${text.length} bytes: ${JSON.stringify(text.slice(0, 80))})`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new TideError('malformed_response', `${what} returned an unexpected shape: ${issues}`);
  }
  return parsed.data;
}
