import type { CompileContext } from '../compile/compile-context.js';
import { MacroArgs, type MacroDefinition } from './macro-definition.js';

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

function inList(ctx: CompileContext, expr: string, values: readonly string[]): string {
  if (values.length === 0) return 'FALSE';
  return `COALESCE(${expr} IN (${values.map((v) => ctx.dialect.string(v)).join(', ')}), FALSE)`;
}

function callingCode(ctx: CompileContext, country: string): string {
  const whens = CALLING_CODES.flatMap(([code, names]) =>
    names.map((name) => `WHEN ${ctx.dialect.string(name)} THEN '${code}'`),
  );
  return `CASE UPPER(TRIM(${country})) ${whens.join(' ')} END`;
}

/** Industry groups and the words (upper-case) that put a CRM's industry value in them, first match wins. */
const INDUSTRY_GROUPS: readonly (readonly [string, readonly string[]])[] = [
  ['Software', ['SOFTWARE', 'TECHNOLOG', 'COMPUTER', 'INTERNET', 'SAAS', 'INFORMATION']],
  ['Finance', ['FINANC', 'BANK', 'INSURANCE', 'INVEST', 'CAPITAL']],
  ['Healthcare', ['HEALTH', 'HOSPITAL', 'MEDIC', 'PHARMA', 'BIOTECH']],
  ['Retail', ['RETAIL', 'CONSUMER', 'APPAREL']],
  ['Manufacturing', ['MANUFACTUR', 'MACHINERY', 'INDUSTRIAL', 'AUTOMOTIVE']],
  ['Education', ['EDUCATION', 'LEARNING']],
  ['Logistics', ['LOGISTIC', 'TRANSPORT', 'SHIPPING', 'SUPPLY']],
  ['Media', ['MEDIA', 'ENTERTAINMENT', 'PUBLISHING', 'BROADCAST']],
  ['Energy', ['ENERGY', 'OIL', 'UTILIT', 'RENEWABLE']],
  ['Consulting', ['CONSULT']],
];

/** Characters people type inside phone numbers; what is left must be digits. */
const PHONE_PUNCTUATION = ' ()-./+';

/**
 * Identity rules shared by every staging model: what a normalized email, phone, domain and name key
 * are. Lists (role inboxes, free-mail domains) and the default calling code come from config.
 */
export const IDENTITY_MACROS: Readonly<Record<string, MacroDefinition>> = {
  normalize_email: {
    signature: "normalize_email('expr')",
    summary: 'Trimmed (spaces, tabs, line breaks) and lower-cased; NULL when empty.',
    render(call, ctx) {
      const e = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      return `NULLIF(LOWER(${ctx.dialect.trimWhitespace(e)}), '')`;
    },
  },
  email_is_valid: {
    signature: "email_is_valid('normalized_email')",
    summary: 'TRUE for a syntactically valid address (dot-atom local part, dotted domain, 2+ letter TLD).',
    render(call, ctx) {
      const e = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      return `COALESCE(${ctx.dialect.regexContains(e, EMAIL_PATTERN)}, FALSE)`;
    },
  },
  is_role_inbox: {
    signature: "is_role_inbox('normalized_email')",
    summary: 'TRUE when the local part (before @) is a shared inbox from config models.roleInboxes.',
    render(call, ctx) {
      const e = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      return inList(ctx, ctx.dialect.splitPart(e, '@', 1), ctx.config.roleInboxes);
    },
  },
  email_domain: {
    signature: "email_domain('normalized_email')",
    summary: 'The part after @; NULL without one.',
    render(call, ctx) {
      const e = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      return emailDomain(ctx, e);
    },
  },
  url_domain: {
    signature: "url_domain('expr')",
    summary:
      'Host of a website value: no scheme, www., port, path or query; lower-case; NULL unless a dotted host name.',
    render(call, ctx) {
      const u = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      const d = ctx.dialect;
      return d.regexExtract(
        `LOWER(${d.trimWhitespace(u)})`,
        '^(?:[a-z][a-z0-9+.-]*://)?(?:www[0-9]*\\.)?([a-z0-9-]+(?:\\.[a-z0-9-]+)+)(?:[/?#:]|$)',
      );
    },
  },
  work_domain: {
    signature: "work_domain('domain_expr')",
    summary: 'The domain, or NULL when it is a free-mail provider (config models.freeMailDomains).',
    render(call, ctx) {
      const domain = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      return workDomain(ctx, domain);
    },
  },
  company_domain: {
    signature: "company_domain('website_domain_expr', 'email_domain_expr', 'email_valid_expr')",
    summary:
      'The company domain of a person: their website domain, else the domain of a valid work email; never a free-mail domain.',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(3);
      return `COALESCE(${workDomain(ctx, a.text(0))}, CASE WHEN ${a.text(2)} THEN ${workDomain(ctx, a.text(1))} END)`;
    },
  },
  calling_code: {
    signature: "calling_code('country_expr')",
    summary: 'Calling code for an ISO alpha-2 code or English country name, NULL when unknown.',
    render(call, ctx) {
      return callingCode(ctx, new MacroArgs(call, ctx, this.signature).count(1).text(0));
    },
  },
  phone_digits: {
    signature: "phone_digits('expr')",
    summary: `The phone without the punctuation people type (${PHONE_PUNCTUATION.trim()} and spaces); feed it to normalize_phone.`,
    render(call, ctx) {
      const raw = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      return `NULLIF(TRANSLATE(${raw}, ${ctx.dialect.string(PHONE_PUNCTUATION)}, ''), '')`;
    },
  },
  normalize_phone: {
    signature: "normalize_phone('raw_expr', 'digits_expr', 'calling_code_expr')",
    summary:
      'E.164 (+ and 8–15 digits, no leading 0) where the number says its country (+, 00), or a national number whose calling code is known (leading 0, or 10/11-digit NANP with models.defaultCallingCode); else NULL.',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(3);
      const [raw, digits, cc] = [a.text(0), a.text(1), a.text(2)];
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
    },
  },
  name_key: {
    signature: "name_key('first_expr', 'last_expr')",
    summary:
      'Letters of first+last name, lower-cased, accents stripped ("José O\'Brien" → joseobrien); NULL unless both are present.',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(2);
      const first = a.text(0);
      const last = a.text(1);
      const letters = ctx.dialect.regexReplace(
        `LOWER(${ctx.dialect.stripAccents(`${first} || ${last}`)})`,
        '[^a-z]+',
        '',
      );
      return `CASE WHEN NULLIF(TRIM(${first}), '') IS NOT NULL AND NULLIF(TRIM(${last}), '') IS NOT NULL THEN NULLIF(${letters}, '') END`;
    },
  },
  company_name_key: {
    signature: "company_name_key('expr')",
    summary:
      'Company name lower-cased, accents stripped, anything but letters and digits folded to single spaces ("Acme, Inc." → "acme inc").',
    render(call, ctx) {
      const n = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      const folded = ctx.dialect.regexReplace(`LOWER(${ctx.dialect.stripAccents(n)})`, '[^a-z0-9]+', ' ');
      return `NULLIF(TRIM(${folded}), '')`;
    },
  },
  industry_group: {
    signature: "industry_group('expr')",
    summary:
      "The CRMs' industry values folded into groups they agree on (HubSpot COMPUTER_SOFTWARE and Salesforce Technology are both Software); Other when unknown to the list, NULL when empty.",
    render(call, ctx) {
      const e = `UPPER(${new MacroArgs(call, ctx, this.signature).count(1).text(0)})`;
      const whens = INDUSTRY_GROUPS.map(
        ([group, words]) =>
          `WHEN ${words.map((w) => `${e} LIKE ${ctx.dialect.string(`%${w}%`)}`).join(' OR ')} THEN ${ctx.dialect.string(group)}`,
      );
      return `CASE WHEN NULLIF(TRIM(${e}), '') IS NULL THEN NULL ${whens.join(' ')} ELSE 'Other' END`;
    },
  },
};

function emailDomain(ctx: CompileContext, email: string): string {
  return `NULLIF(${ctx.dialect.splitPart(email, '@', 2)}, '')`;
}

function workDomain(ctx: CompileContext, domain: string): string {
  return `CASE WHEN ${inList(ctx, domain, ctx.config.freeMailDomains)} THEN NULL ELSE ${domain} END`;
}
