/**
 * Log fields whose names suggest a credential are replaced before anything is written. Values are
 * never inspected for secrets; the rule is structural: credentials travel in fields named for them.
 */
const SECRET_KEY = /token|secret|password|authorization|api[-_]?key|credential|cookie/i;

export function redactFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_KEY.test(key) && !key.endsWith('Env')) out[key] = '[redacted]';
    else if (value instanceof Error) out[key] = value.message;
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = redactFields(value as Record<string, unknown>);
    } else out[key] = value;
  }
  return out;
}
