import type { CompileContext } from '../compile/compile-context.js';
import {
  callingCode,
  companyDomain,
  companyNameKey,
  emailDomain,
  emailIsValid,
  isRoleInbox,
  nameKey,
  normalizeEmail,
  normalizePhone,
  phoneDigits,
} from './identity-rules.js';
import { MacroArgs, type MacroDefinition, macroError } from './macro-definition.js';

/** What a person staging model maps from its CRM (its relation's columns) for person_staging. */
const PERSON_INPUTS = [
  'record_key',
  'source_name',
  'crm',
  'object',
  'crm_id',
  'email_raw',
  'phone_raw',
  'first_name',
  'last_name',
  'job_title',
  'company_name',
  'company_record_key',
  'website_domain',
  'city',
  'country',
  'created_at',
  'updated_at',
  'is_deleted',
  'loaded_at',
] as const;

/** The columns of every person staging table, in order (int_person_records unions them); a model's own columns go before the last four. */
const PERSON_COLUMNS = [
  'record_key',
  'record_id',
  'source_name',
  'crm',
  'object',
  'crm_id',
  'email_present',
  'email',
  'email_valid',
  'email_is_role',
  'phone',
  'email_key',
  'first_name',
  'last_name',
  'name_key',
  'job_title',
  'company_name',
  'company_name_key',
  'company_record_id',
  'company_domain',
  'city',
  'country',
] as const;
const PERSON_TRAILING_COLUMNS = ['created_at', 'updated_at', 'is_deleted', 'loaded_at'] as const;

/**
 * Every identity column of a person record, derived in three layers so each rule is written once and
 * its inputs are computed once: normalized email and phone digits; then validity, role inbox, email
 * domain, calling code and the record ids; then the phone in E.164 and the match keys.
 */
function personIdentity(ctx: CompileContext, relation: string): string {
  const d = ctx.dialect;
  const normalized =
    `SELECT person_input.*, ${normalizeEmail(ctx, 'email_raw')} AS email, ${phoneDigits(ctx, 'phone_raw')} AS phone_digits` +
    ` FROM ${relation} AS person_input`;
  const checked =
    `SELECT person_normalized.*, ${d.hashId('record_key')} AS record_id,` +
    ` CASE WHEN company_record_key IS NOT NULL THEN ${d.hashId('company_record_key')} END AS company_record_id,` +
    ` ${emailIsValid(ctx, 'email')} AS email_valid, ${isRoleInbox(ctx, 'email')} AS email_is_role,` +
    ` ${emailDomain(ctx, 'email')} AS email_domain, ${callingCode(ctx, 'country')} AS calling_code` +
    ` FROM (${normalized}) AS person_normalized`;
  return (
    `SELECT person_checked.*, COALESCE(TRIM(email_raw) <> '', FALSE) AS email_present,` +
    ` ${normalizePhone(ctx, 'phone_raw', 'phone_digits', 'calling_code')} AS phone,` +
    // Match keys as integers (hash_id): grouping millions of them is far cheaper than grouping text.
    ` CASE WHEN email_valid AND NOT email_is_role THEN ${d.hashId('email')} END AS email_key,` +
    ` ${nameKey(ctx, 'first_name', 'last_name')} AS name_key,` +
    ` ${companyNameKey(ctx, 'company_name')} AS company_name_key,` +
    ` ${companyDomain(ctx, 'website_domain', 'email_domain', 'email_valid')} AS company_domain` +
    ` FROM (${checked}) AS person_checked`
  );
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Macros that write the part of a staging model every CRM shares. */
export const STAGING_MACROS: Readonly<Record<string, MacroDefinition>> = {
  person_staging: {
    signature: "person_staging('relation'[, ['own_column', ...]])",
    summary: `The SELECT of a person staging model (contacts, leads, persons): from the relation (a CTE with ${PERSON_INPUTS.join(', ')}) it derives record_id, company_record_id (hash_id of company_record_key), the normalized email, its validity, role-inbox flag and match key, the E.164 phone, the name and company-name keys and the company domain, with the identity-rule macros; it returns ${PERSON_COLUMNS.join(', ')}, then the model's own columns, then ${PERSON_TRAILING_COLUMNS.join(', ')}.`,
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(1, 2);
      const relation = a.text(0);
      const own = a.optionalList(1);
      for (const name of [relation, ...own])
        if (!IDENTIFIER.test(name)) throw macroError(ctx, call, `"${name}" is not a plain lower-case name`);
      const columns = [...PERSON_COLUMNS, ...own, ...PERSON_TRAILING_COLUMNS];
      return `SELECT ${columns.join(', ')}\nFROM (${personIdentity(ctx, relation)}) AS person`;
    },
  },
};
