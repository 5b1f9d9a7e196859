import type { CompileContext } from '../compile/compile-context.js';
import {
  callingCode,
  companyDomain,
  companyNameKey,
  emailDomain,
  emailIsValid,
  generationalSuffix,
  isRoleInbox,
  lastNameKey,
  namePartKey,
  normalizeEmail,
  normalizePhone,
  phoneDigits,
  phoneExtension,
  phoneWithoutExtension,
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
  'phone_ext',
  'phone_key',
  'first_key',
  'last_key',
  'name_suffix',
  'alt_emails',
  'merged_into_key',
  'merged_from_ids',
  'survivor_unnamed',
] as const;
const PERSON_TRAILING_COLUMNS = ['created_at', 'updated_at', 'is_deleted', 'loaded_at'] as const;

/**
 * How a record says which records it merged or was merged into: three optional expressions over the
 * relation, passed as `person_staging('typed', [...], merged_into_key='…')`. A CRM without merges
 * leaves them out (NULL).
 */
const MERGE_INPUTS = {
  /** The record key of the record this one was merged (or converted) into. */
  merged_into_key: 'string',
  /** `;`-separated ids of records of the same source and object that were merged into this one. */
  merged_from_ids: 'string',
  /** The record's other email addresses, `;`- or `,`-separated (they match like its email). */
  alt_emails: 'string',
  /**
   * TRUE when the record may have been merged into a survivor the CRM does not name (a CRM whose
   * merge deletes the merged-away record and says nothing else: Pipedrive's deleted persons).
   */
  survivor_unnamed: 'boolean',
} as const;
type MergeInput = keyof typeof MERGE_INPUTS;

/** A `;`-separated list with spaces, commas and empty items folded away; NULL when empty. */
function tidyList(ctx: CompileContext, expr: string, lower: boolean): string {
  const folded = ctx.dialect.regexReplace(lower ? `LOWER(${expr})` : expr, '[\\s;,]+', ';');
  return `NULLIF(TRIM(${folded}, ';'), '')`;
}

/**
 * Every identity column of a person record, derived in layers so each rule is written once and its
 * inputs are computed once: normalized email, the phone's extension and main part; then validity,
 * role inbox, email domain, calling code, phone digits, name parts and the record ids; then the phone
 * in E.164 and the match keys.
 */
function personIdentity(
  ctx: CompileContext,
  relation: string,
  merges: Readonly<Record<MergeInput, string>>,
): string {
  const d = ctx.dialect;
  const normalized =
    `SELECT person_input.*, ${normalizeEmail(ctx, 'email_raw')} AS email,` +
    ` ${phoneExtension(ctx, 'phone_raw')} AS phone_ext, ${phoneWithoutExtension(ctx, 'phone_raw')} AS phone_main,` +
    ` ${merges.merged_into_key} AS merged_into_key, ${tidyList(ctx, merges.merged_from_ids, false)} AS merged_from_ids,` +
    ` ${tidyList(ctx, merges.alt_emails, true)} AS alt_emails, COALESCE(${merges.survivor_unnamed}, FALSE) AS survivor_unnamed` +
    ` FROM ${relation} AS person_input`;
  const checked =
    `SELECT person_normalized.*, ${d.hashId('record_key')} AS record_id,` +
    ` CASE WHEN company_record_key IS NOT NULL THEN ${d.hashId('company_record_key')} END AS company_record_id,` +
    ` ${emailIsValid(ctx, 'email')} AS email_valid, ${isRoleInbox(ctx, 'email')} AS email_is_role,` +
    ` ${emailDomain(ctx, 'email')} AS email_domain, ${callingCode(ctx, 'country')} AS calling_code,` +
    ` ${phoneDigits(ctx, 'phone_main')} AS phone_digits,` +
    ` ${namePartKey(ctx, 'first_name')} AS first_key, ${lastNameKey(ctx, 'last_name')} AS last_key,` +
    ` ${generationalSuffix(ctx, 'last_name')} AS name_suffix` +
    ` FROM (${normalized}) AS person_normalized`;
  return (
    `SELECT person_checked.*, COALESCE(TRIM(email_raw) <> '', FALSE) AS email_present,` +
    ` ${normalizePhone(ctx, 'phone_main', 'phone_digits', 'calling_code')} AS phone,` +
    // Match keys as integers (hash_id): grouping millions of them is far cheaper than grouping text.
    ` CASE WHEN email_valid AND NOT email_is_role THEN ${d.hashId('email')} END AS email_key,` +
    // The suffix stays in the key: John Smith Jr. and John Smith Sr. are two people.
    ` CASE WHEN first_key IS NOT NULL AND last_key IS NOT NULL THEN first_key || last_key || COALESCE(name_suffix, '') END AS name_key,` +
    ` ${companyNameKey(ctx, 'company_name')} AS company_name_key,` +
    ` ${companyDomain(ctx, 'website_domain', 'email_domain', 'email_valid')} AS company_domain` +
    ` FROM (${checked}) AS person_checked`
  );
}

/** The columns every person staging table has (int_person_sources unions them), in order. */
export const SHARED_PERSON_COLUMNS: readonly string[] = [
  ...PERSON_COLUMNS,
  'created_at',
  'updated_at',
  'is_deleted',
  'loaded_at',
];

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Macros that write the part of a staging model every CRM shares. */
export const STAGING_MACROS: Readonly<Record<string, MacroDefinition>> = {
  person_staging: {
    signature:
      "person_staging('relation'[, ['own_column', ...]][, merged_into_key='expr', merged_from_ids='expr', alt_emails='expr', survivor_unnamed='expr'])",
    summary: `The SELECT of a person staging model (contacts, leads, persons): from the relation (a CTE with ${PERSON_INPUTS.join(', ')}) it derives record_id, company_record_id (hash_id of company_record_key), the normalized email, its validity, role-inbox flag and match key, the E.164 phone with its extension and match key (phone_key), the name parts (first_key, last_key, name_suffix) and name key, the company-name key and the company domain, with the identity-rule macros. The optional merged_into_key (the record key this record was merged or converted into), merged_from_ids (;-separated ids of same-object records merged into it), survivor_unnamed (TRUE when a deleted record may have been merged into a survivor the CRM does not name) and alt_emails (its other emails) are how a CRM reports merges. It returns ${PERSON_COLUMNS.join(', ')}, then the model's own columns, then ${PERSON_TRAILING_COLUMNS.join(', ')}.`,
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(1, 2);
      const relation = a.text(0);
      const own = a.optionalList(1);
      for (const name of [relation, ...own])
        if (!IDENTIFIER.test(name)) throw macroError(ctx, call, `"${name}" is not a plain lower-case name`);
      const merges = {} as Record<MergeInput, string>;
      for (const key of call.kwargs.keys()) {
        if (!(key in MERGE_INPUTS))
          throw macroError(ctx, call, `unknown argument ${key}= (${Object.keys(MERGE_INPUTS).join(', ')})`);
      }
      for (const key of Object.keys(MERGE_INPUTS) as MergeInput[]) {
        const value = call.kwargs.get(key);
        if (value !== undefined && typeof value !== 'string')
          throw macroError(ctx, call, `${key}= must be a quoted SQL expression`);
        merges[key] = value ?? `CAST(NULL AS ${ctx.dialect.type(MERGE_INPUTS[key])})`;
      }
      const identity = personIdentity(ctx, relation, merges);
      const phoneKey = `CASE WHEN phone IS NOT NULL THEN ${ctx.dialect.hashId(`phone || COALESCE(';ext=' || phone_ext, '')`)} END AS phone_key`;
      const columns = [...PERSON_COLUMNS, ...own, ...PERSON_TRAILING_COLUMNS].map((c) =>
        c === 'phone_key' ? phoneKey : c,
      );
      return `SELECT ${columns.join(', ')}\nFROM (${identity}) AS person`;
    },
  },
  person_columns: {
    signature: 'person_columns()',
    summary: `The comma-separated columns every person staging model shares (${SHARED_PERSON_COLUMNS.join(', ')}): what int_person_sources selects from each, so adding a CRM is one more UNION ALL branch.`,
    render(call, ctx) {
      new MacroArgs(call, ctx, this.signature).count(0);
      return SHARED_PERSON_COLUMNS.join(', ');
    },
  },
};
