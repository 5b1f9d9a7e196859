import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { TideError } from '../../core/tide-error.js';

/** The corrections file in the models folder (transform/README.md, Identity resolution). */
export const OVERRIDES_FILE = 'identity_overrides.csv';

/** The columns, in this order; `note` is free text for the people who maintain the file. */
const HEADER = ['kind', 'crm', 'id', 'other_crm', 'other_id', 'note'] as const;

/**
 * The models render the file into their SQL (a literal relation), so it stays small: corrections an
 * analyst types, not a second match table.
 */
export const MAX_OVERRIDES = 5_000;

export type OverrideKind = 'must_link' | 'cannot_link';

/** One pair of person records, each named by its CRM (the config source name or the CRM kind) and id. */
export interface IdentityOverride {
  readonly kind: OverrideKind;
  readonly crm: string;
  readonly id: string;
  readonly otherCrm: string;
  readonly otherId: string;
  /** Line in the file, for messages. */
  readonly line: number;
}

const CRM = /^[a-z][a-z0-9_]{0,62}$/;

/** Reads `identity_overrides.csv` from a models folder; no file = no overrides. */
export function readIdentityOverrides(dir: string): IdentityOverride[] {
  const path = join(dir, OVERRIDES_FILE);
  if (!existsSync(path)) return [];
  return parseIdentityOverrides(readFileSync(path, 'utf8'));
}

/**
 * Parses the file: a header row naming the columns above (note may be left out), then one pair per
 * row; blank lines and lines starting with # are skipped. Every problem names its line.
 */
export function parseIdentityOverrides(text: string): IdentityOverride[] {
  let parsed: unknown[];
  try {
    parsed = parse(text, {
      comment: '#',
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    });
  } catch (error) {
    throw problem(null, `not valid CSV (${error instanceof Error ? error.message : String(error)})`);
  }
  // With info: true csv-parse yields { record, info } per row, which its types do not say.
  const rows = parsed.map((row) => {
    const r = row as { record?: unknown; info?: { lines?: unknown } };
    if (!Array.isArray(r.record) || typeof r.info?.lines !== 'number') throw problem(null, 'unreadable row');
    return { record: r.record.map(String), info: { lines: r.info.lines } };
  });
  const [header, ...body] = rows;
  if (!header) return [];
  const names = header.record.map((h) => h.toLowerCase());
  const expected = HEADER.slice(0, names.length);
  if (names.length < 5 || names.length > HEADER.length || names.some((n, i) => n !== expected[i])) {
    throw problem(header.info.lines, `the header must be ${HEADER.join(',')} (note is optional)`);
  }
  if (body.length > MAX_OVERRIDES) {
    throw problem(
      null,
      `${body.length.toLocaleString('en-US')} pairs; at most ${MAX_OVERRIDES.toLocaleString('en-US')} (the models carry them in their SQL)`,
    );
  }
  return body.map(({ record, info }) => {
    const line = info.lines;
    if (record.length < 5 || record.length > HEADER.length)
      throw problem(line, `expected ${HEADER.length - 1} or ${HEADER.length} values, got ${record.length}`);
    const [kind, crm, id, otherCrm, otherId] = record.map((v) => v ?? '') as [
      string,
      string,
      string,
      string,
      string,
    ];
    if (kind !== 'must_link' && kind !== 'cannot_link')
      throw problem(line, `kind is "${kind}"; use must_link or cannot_link`);
    for (const [label, value] of [
      ['crm', crm],
      ['other_crm', otherCrm],
    ] as const) {
      if (!CRM.test(value))
        throw problem(line, `${label} "${value}" is not a CRM (a source name or kind such as hubspot)`);
    }
    if (id === '' || otherId === '') throw problem(line, 'both ids are required');
    // The models carry the pairs as one tab- and newline-separated literal (match-macros.ts).
    if (/[\t\r\n]/.test(id + otherId)) throw problem(line, 'an id with a tab or a line break');
    if (crm === otherCrm && id === otherId) throw problem(line, 'a record paired with itself');
    return { kind, crm, id, otherCrm, otherId, line };
  });
}

function problem(line: number | null, message: string): TideError {
  return new TideError('model_error', `${OVERRIDES_FILE}${line === null ? '' : `:${line}`}: ${message}`, {
    hint: 'see "Corrections" in transform/README.md',
  });
}
