import {
  callingCode,
  companyDomain,
  companyNameKey,
  emailDomain,
  emailIsValid,
  generationalSuffix,
  isRoleInbox,
  lastNameKey,
  nameKey,
  namePartKey,
  normalizeEmail,
  normalizePhone,
  PHONE_PUNCTUATION,
  phoneDigits,
  phoneExtension,
  phoneMatchKey,
  phoneWithoutExtension,
  urlDomain,
  workDomain,
} from './identity-rules.js';
import { MacroArgs, type MacroDefinition } from './macro-definition.js';

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

/** A macro of one SQL-expression argument, rendered by one identity rule. */
function oneExprMacro(
  signature: string,
  summary: string,
  rule: (ctx: Parameters<MacroDefinition['render']>[1], expr: string) => string,
): MacroDefinition {
  return {
    signature,
    summary,
    render(call, ctx) {
      return rule(ctx, new MacroArgs(call, ctx, signature).count(1).text(0));
    },
  };
}

/**
 * Identity rules shared by every staging model (transform/macros/identity-rules.ts), one macro each:
 * what a normalized email, phone, domain and name key are.
 */
export const IDENTITY_MACROS: Readonly<Record<string, MacroDefinition>> = {
  normalize_email: oneExprMacro(
    "normalize_email('expr')",
    'Trimmed (spaces, tabs, line breaks) and lower-cased; NULL when empty.',
    normalizeEmail,
  ),
  email_is_valid: oneExprMacro(
    "email_is_valid('normalized_email')",
    'TRUE for a syntactically valid address (dot-atom local part, dotted domain, 2+ letter TLD).',
    emailIsValid,
  ),
  is_role_inbox: oneExprMacro(
    "is_role_inbox('normalized_email')",
    'TRUE when the local part (before @) is a shared inbox from config models.roleInboxes.',
    isRoleInbox,
  ),
  email_domain: oneExprMacro(
    "email_domain('normalized_email')",
    'The part after @; NULL without one.',
    emailDomain,
  ),
  url_domain: oneExprMacro(
    "url_domain('expr')",
    'Host of a website value: no scheme, www., port, path or query; lower-case; NULL unless a dotted host name.',
    urlDomain,
  ),
  work_domain: oneExprMacro(
    "work_domain('domain_expr')",
    'The domain, or NULL when it is a free-mail provider (config models.freeMailDomains).',
    workDomain,
  ),
  company_domain: {
    signature: "company_domain('website_domain_expr', 'email_domain_expr', 'email_valid_expr')",
    summary:
      'The company domain of a person: their website domain, else the domain of a valid work email; never a free-mail domain.',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(3);
      return companyDomain(ctx, a.text(0), a.text(1), a.text(2));
    },
  },
  calling_code: oneExprMacro(
    "calling_code('country_expr')",
    'Calling code for an ISO alpha-2 code or English country name, NULL when unknown.',
    callingCode,
  ),
  phone_digits: oneExprMacro(
    "phone_digits('expr')",
    `The phone without the punctuation people type (${PHONE_PUNCTUATION.trim()} and spaces); feed it to normalize_phone.`,
    phoneDigits,
  ),
  phone_extension: oneExprMacro(
    "phone_extension('raw_expr')",
    'The digits of an extension at the end of a phone ("ext. 12", "x12", "#12", ";ext=12"); NULL without one.',
    phoneExtension,
  ),
  phone_without_extension: oneExprMacro(
    "phone_without_extension('raw_expr')",
    'The phone as typed, lower-cased, without its extension: feed it to phone_digits.',
    phoneWithoutExtension,
  ),
  normalize_phone: {
    signature: "normalize_phone('raw_expr', 'digits_expr', 'calling_code_expr')",
    summary:
      'E.164 (+ and 8–15 digits, no leading 0) where the number says its country (+, 00), or a national number whose calling code is known (leading 0, or 10/11-digit NANP with models.defaultCallingCode); else NULL.',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(3);
      return normalizePhone(ctx, a.text(0), a.text(1), a.text(2));
    },
  },
  name_key: {
    signature: "name_key('first_expr', 'last_expr')",
    summary:
      'Letters of first+last name, lower-cased, accents stripped ("José O\'Brien" → joseobrien); NULL unless both are present.',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(2);
      return nameKey(ctx, a.text(0), a.text(1));
    },
  },
  phone_match_key: {
    signature: "phone_match_key('raw_expr', 'country_expr')",
    summary:
      "A phone's match key as person_staging computes phone_key: hash_id of its E.164 number and extension; NULL when it cannot be made E.164.",
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(2);
      return phoneMatchKey(ctx, a.text(0), a.text(1));
    },
  },
  name_part_key: oneExprMacro(
    "name_part_key('expr')",
    'One name part as letters only, lower-cased, accents stripped ("O\'Brien" → obrien); NULL when no letter is left.',
    namePartKey,
  ),
  last_name_key: oneExprMacro(
    "last_name_key('expr')",
    'name_part_key of a last name without its generational suffix ("Smith Jr." → smith).',
    lastNameKey,
  ),
  generational_suffix: oneExprMacro(
    "generational_suffix('last_expr')",
    'jr, sr, ii, iii or iv when a last name ends with one ("Smith, Jr." → jr); NULL otherwise.',
    generationalSuffix,
  ),
  company_name_key: oneExprMacro(
    "company_name_key('expr')",
    'Company name lower-cased, accents stripped, punctuation folded to single spaces, a leading "the" and trailing legal forms (Inc, LLC, Ltd, GmbH, SA, …) removed ("The Acme Company, Inc." → "acme").',
    companyNameKey,
  ),
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
