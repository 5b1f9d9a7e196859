import type { CompileContext } from '../compile/compile-context.js';

/**
 * The identity rules as SQL text: what a normalized email, phone, domain and name key are. The
 * identity macros render them one at a time; person_identity renders them together for a staging
 * model. Lists (role inboxes, free-mail domains) and the default calling code come from config.
 */

/** RFC 5322 "dot-atom" local part and a dotted host name with a 2+ letter TLD, on a lower-cased address. */
const EMAIL_PATTERN =
  "^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$";

/** Country (ISO 3166 alpha-2 or English name, upper-cased) → calling code, for national-format phones. */
const CALLING_CODES: readonly (readonly [string, readonly string[]])[] = [
  ['1', ['US', 'USA', 'UNITED STATES', 'CA', 'CANADA']],
  ['44', ['GB', 'UK', 'UNITED KINGDOM']],
  ['49', ['DE', 'GERMANY']],
  ['33', ['FR', 'FRANCE']],
  ['34', ['ES', 'SPAIN']],
  ['39', ['IT', 'ITALY']],
  ['31', ['NL', 'NETHERLANDS']],
  ['32', ['BE', 'BELGIUM']],
  ['41', ['CH', 'SWITZERLAND']],
  ['43', ['AT', 'AUSTRIA']],
  ['45', ['DK', 'DENMARK']],
  ['46', ['SE', 'SWEDEN']],
  ['47', ['NO', 'NORWAY']],
  ['358', ['FI', 'FINLAND']],
  ['353', ['IE', 'IRELAND']],
  ['351', ['PT', 'PORTUGAL']],
  ['48', ['PL', 'POLAND']],
  ['61', ['AU', 'AUSTRALIA']],
  ['64', ['NZ', 'NEW ZEALAND']],
  ['81', ['JP', 'JAPAN']],
  ['91', ['IN', 'INDIA']],
  ['55', ['BR', 'BRAZIL']],
  ['52', ['MX', 'MEXICO']],
  ['65', ['SG', 'SINGAPORE']],
  ['27', ['ZA', 'SOUTH AFRICA']],
];

/** Characters people type inside phone numbers; what is left must be digits. */
export const PHONE_PUNCTUATION = ' ()-./+';

/**
 * An extension at the end of a lower-cased phone: "ext. 12", "ext 12", "extension 12", "x12", "#12"
 * and RFC 3966 ";ext=12". Its one group is the extension's digits: part of the person's number (the
 * same main number with another extension is another person), not noise.
 */
export const PHONE_EXTENSION_PATTERN = '(?:;ext=|[ ,]*(?:extension|ext\\.?|x|#)) *([0-9]{1,6}) *$';

/**
 * Legal-form words a company name may end with ("Acme, Inc." and "ACME LLC" are one company). Matched
 * as whole words after punctuation is folded to spaces, so "S.A." arrives as "s a".
 */
const LEGAL_SUFFIXES = [
  'inc',
  'incorporated',
  'llc',
  'l l c',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'lp',
  'llp',
  'pllc',
  'pc',
  'gmbh',
  'mbh',
  'ag',
  'kg',
  'kgaa',
  'ug',
  'se',
  'sa',
  's a',
  'sas',
  'sarl',
  'srl',
  'spa',
  's p a',
  'sl',
  's l',
  'bv',
  'b v',
  'nv',
  'n v',
  'ab',
  'as',
  'a s',
  'aps',
  'oy',
  'oyj',
  'pty',
  'pte',
  'kk',
  'bhd',
  'sdn bhd',
  'lda',
];

/** Generational suffixes at the end of a lower-cased last name ("Smith Jr.", "Smith, III"): one group. */
export const GENERATIONAL_SUFFIX_PATTERN = '[ ,.]+(jr|sr|ii|iii|iv)\\.?$';

function inList(ctx: CompileContext, expr: string, values: readonly string[]): string {
  if (values.length === 0) return 'FALSE';
  return `COALESCE(${expr} IN (${values.map((v) => ctx.dialect.string(v)).join(', ')}), FALSE)`;
}

export function normalizeEmail(ctx: CompileContext, raw: string): string {
  return `NULLIF(LOWER(${ctx.dialect.trimWhitespace(raw)}), '')`;
}

export function emailIsValid(ctx: CompileContext, email: string): string {
  return `COALESCE(${ctx.dialect.regexContains(email, EMAIL_PATTERN)}, FALSE)`;
}

export function isRoleInbox(ctx: CompileContext, email: string): string {
  return inList(ctx, ctx.dialect.splitPart(email, '@', 1), ctx.config.roleInboxes);
}

export function emailDomain(ctx: CompileContext, email: string): string {
  return `NULLIF(${ctx.dialect.splitPart(email, '@', 2)}, '')`;
}

export function urlDomain(ctx: CompileContext, url: string): string {
  const d = ctx.dialect;
  return d.regexExtract(
    `LOWER(${d.trimWhitespace(url)})`,
    '^(?:[a-z][a-z0-9+.-]*://)?(?:www[0-9]*\\.)?([a-z0-9-]+(?:\\.[a-z0-9-]+)+)(?:[/?#:]|$)',
  );
}

export function workDomain(ctx: CompileContext, domain: string): string {
  return `CASE WHEN ${inList(ctx, domain, ctx.config.freeMailDomains)} THEN NULL ELSE ${domain} END`;
}

export function companyDomain(
  ctx: CompileContext,
  websiteDomain: string,
  emailDomainExpr: string,
  emailValid: string,
): string {
  return `COALESCE(${workDomain(ctx, websiteDomain)}, CASE WHEN ${emailValid} THEN ${workDomain(ctx, emailDomainExpr)} END)`;
}

export function callingCode(ctx: CompileContext, country: string): string {
  const whens = CALLING_CODES.flatMap(([code, names]) =>
    names.map((name) => `WHEN ${ctx.dialect.string(name)} THEN ${ctx.dialect.string(code)}`),
  );
  return `CASE UPPER(TRIM(${country})) ${whens.join(' ')} END`;
}

export function phoneDigits(ctx: CompileContext, raw: string): string {
  return `NULLIF(TRANSLATE(${raw}, ${ctx.dialect.string(PHONE_PUNCTUATION)}, ''), '')`;
}

export function normalizePhone(ctx: CompileContext, raw: string, digits: string, cc: string): string {
  const d = ctx.dialect;
  const fallback = ctx.config.defaultCallingCode;
  const nanp = fallback === null ? `${cc} = '1'` : `COALESCE(${cc}, ${d.string(fallback)}) = '1'`;
  const n = `LENGTH(${digits})`;
  // Each branch checks the length and first digit E.164 allows, so the result needs no second pass.
  return (
    `CASE WHEN NOT ${d.regexContains(digits, '^[0-9]{7,17}$')} THEN NULL` +
    ` WHEN LTRIM(${raw}) LIKE '+%' THEN CASE WHEN ${n} BETWEEN 8 AND 15 AND ${digits} NOT LIKE '0%' THEN '+' || ${digits} END` +
    ` WHEN LTRIM(${raw}) LIKE '00%' THEN CASE WHEN ${n} BETWEEN 10 AND 17 AND ${digits} NOT LIKE '000%' THEN '+' || SUBSTR(${digits}, 3) END` +
    ` WHEN ${digits} LIKE '0%' THEN CASE WHEN LENGTH(${cc}) + ${n} BETWEEN 9 AND 16 AND ${digits} NOT LIKE '00%' THEN '+' || ${cc} || SUBSTR(${digits}, 2) END` +
    ` WHEN ${n} = 10 AND ${nanp} THEN '+1' || ${digits}` +
    ` WHEN ${n} = 11 AND ${digits} LIKE '1%' AND ${nanp} THEN '+' || ${digits} END`
  );
}

/** The extension digits of a phone (see PHONE_EXTENSION_PATTERN), NULL without one. */
export function phoneExtension(ctx: CompileContext, raw: string): string {
  return ctx.dialect.regexExtract(`LOWER(${raw})`, PHONE_EXTENSION_PATTERN);
}

/** The phone without its extension (as typed otherwise). */
export function phoneWithoutExtension(ctx: CompileContext, raw: string): string {
  return ctx.dialect.regexReplace(`LOWER(${raw})`, PHONE_EXTENSION_PATTERN, '');
}

/** One name part as a key: letters only, lower-cased, accents stripped; NULL when no letter is left. */
export function namePartKey(ctx: CompileContext, part: string): string {
  const d = ctx.dialect;
  return `NULLIF(${d.regexReplace(`LOWER(${d.stripAccents(part)})`, '[^a-z]+', '')}, '')`;
}

/** jr, sr, ii, iii or iv when a last name ends with one; NULL otherwise. */
export function generationalSuffix(ctx: CompileContext, last: string): string {
  return ctx.dialect.regexExtract(`LOWER(TRIM(${last}))`, GENERATIONAL_SUFFIX_PATTERN);
}

/** A last name without its generational suffix, as a key (letters only). */
export function lastNameKey(ctx: CompileContext, last: string): string {
  return namePartKey(ctx, ctx.dialect.regexReplace(`LOWER(TRIM(${last}))`, GENERATIONAL_SUFFIX_PATTERN, ''));
}

/**
 * A phone's match key as person_staging computes it: hash_id of the E.164 number and its extension
 * (`+14155550100;ext=12`); NULL when the number cannot be made E.164. For company records, whose
 * main number is compared with people's numbers (a switchboard is no one's identity).
 */
export function phoneMatchKey(ctx: CompileContext, raw: string, country: string): string {
  const main = phoneWithoutExtension(ctx, raw);
  const e164 = normalizePhone(ctx, main, phoneDigits(ctx, main), callingCode(ctx, country));
  const ext = phoneExtension(ctx, raw);
  return `CASE WHEN ${e164} IS NOT NULL THEN ${ctx.dialect.hashId(`${e164} || COALESCE(';ext=' || ${ext}, '')`)} END`;
}

export function nameKey(ctx: CompileContext, first: string, last: string): string {
  const letters = ctx.dialect.regexReplace(
    `LOWER(${ctx.dialect.stripAccents(`${first} || ${last}`)})`,
    '[^a-z]+',
    '',
  );
  return `CASE WHEN NULLIF(TRIM(${first}), '') IS NOT NULL AND NULLIF(TRIM(${last}), '') IS NOT NULL THEN NULLIF(${letters}, '') END`;
}

/**
 * A company name as a key: lower-cased, accents stripped, anything but letters and digits folded to
 * single spaces, a leading "the" and trailing legal forms removed ("The Acme Company, Inc." → "acme");
 * a name that is nothing but a legal form keeps it.
 */
export function companyNameKey(ctx: CompileContext, name: string): string {
  const d = ctx.dialect;
  const folded = `TRIM(${d.regexReplace(`LOWER(${d.stripAccents(name)})`, '[^a-z0-9]+', ' ')})`;
  const bare = d.regexReplace(
    d.regexReplace(folded, `(?: (?:${LEGAL_SUFFIXES.join('|')}))+$`, ''),
    '^the ',
    '',
  );
  return `NULLIF(COALESCE(NULLIF(${bare}, ''), ${folded}), '')`;
}
