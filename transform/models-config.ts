import { z } from 'zod';

/** Local parts that name a shared inbox rather than a person: never an identity match key. */
export const DEFAULT_ROLE_INBOXES = [
  'info',
  'sales',
  'support',
  'admin',
  'contact',
  'hello',
  'office',
  'team',
  'billing',
  'marketing',
  'help',
  'service',
  'enquiries',
  'inquiries',
  'careers',
  'jobs',
  'hr',
  'accounts',
  'finance',
  'webmaster',
  'postmaster',
  'noreply',
  'no-reply',
  'donotreply',
] as const;

/** Mailbox providers: their domain says nothing about the person's company. */
export const DEFAULT_FREE_MAIL_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'ymail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.com',
  'yandex.ru',
  'zoho.com',
] as const;

/**
 * Fields that must be filled for a record to count as complete, per `<crm>.<object>` (object = the
 * stream name). Values are the *staging* column names, which are the same for every CRM.
 */
export const DEFAULT_REQUIRED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'hubspot.contacts': ['email', 'first_name', 'last_name', 'phone', 'company_name'],
  'hubspot.companies': ['name', 'domain', 'industry'],
  'hubspot.deals': ['name', 'amount', 'stage', 'close_date'],
  'salesforce.Contact': ['email', 'first_name', 'last_name', 'phone', 'company_record_id'],
  'salesforce.Lead': ['email', 'first_name', 'last_name', 'company_name'],
  'salesforce.Account': ['name', 'domain', 'industry'],
  'salesforce.Opportunity': ['name', 'amount', 'stage', 'close_date'],
  'pipedrive.persons': ['email', 'first_name', 'last_name', 'phone', 'company_record_id'],
  'pipedrive.organizations': ['name', 'domain'],
  'pipedrive.deals': ['name', 'amount', 'stage'],
};

const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case column name (letters, digits, _)');
const crmName = z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, 'a CRM kind such as hubspot or salesforce');

/**
 * The `models` section of pipeline.config.ts. Every key is optional; models read these values through
 * runner macros (`source_rank`, `required_completion`, `is_role_inbox`, `is_free_mail`, `var`), so
 * changing config never means editing SQL.
 */
export const ModelsConfigSchema = z
  .object({
    /** Folder of .sql models; null = the models shipped with Tide. Relative paths resolve from the cwd. */
    dir: z.string().min(1).nullable().default(null),
    /** Build the models at the end of `tide run`. */
    runAfterExtract: z.boolean().default(true),
    /**
     * Models built at once when they do not depend on each other; null = the warehouse's default
     * (DuckDB 1: one query already uses every core; BigQuery 4: jobs wait on the network).
     */
    concurrency: z.number().int().positive().max(16).nullable().default(null),
    /** Survivorship: which CRM's value wins for a customer field (first = most trusted). */
    sourcePriority: z.array(crmName).nonempty().default(['salesforce', 'hubspot', 'pipedrive']),
    /** Per-field overrides of sourcePriority, keyed by customers column (e.g. phone: [pipedrive, ...]). */
    fieldPriority: z.record(identifier, z.array(crmName).nonempty()).default({}),
    /** Required fields per `<crm>.<object>` for the completion metric; replaces the default per key. */
    requiredFields: z
      .record(
        z
          .string()
          .regex(
            /^[a-z][a-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/,
            'a key like hubspot.contacts or salesforce.Contact',
          ),
        z.array(identifier),
      )
      .default({}),
    roleInboxes: z.array(z.string().min(1).toLowerCase()).default([...DEFAULT_ROLE_INBOXES]),
    freeMailDomains: z.array(z.string().min(3).toLowerCase()).default([...DEFAULT_FREE_MAIL_DOMAINS]),
    /** Calling code assumed for 10-digit national numbers without a country (1 = North America); null = never guess. */
    defaultCallingCode: z
      .string()
      .regex(/^[1-9][0-9]{0,2}$/, 'digits of a calling code, e.g. "1" or "44"')
      .nullable()
      .default('1'),
    scoring: z
      .object({
        /** Industries that fit the ideal customer profile (full industry points). */
        targetIndustries: z.array(z.string().min(1)).default(['Software', 'Finance', 'Healthcare']),
        /** Activities newer than this count towards engagement. */
        activityWindowDays: z.number().int().positive().max(3650).default(90),
      })
      .strict()
      .prefault({}),
    /** Free values for your own models: `{{ var('name') }}`. */
    vars: z
      .record(identifier, z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))
      .default({}),
  })
  .strict();

export type ModelsConfig = z.output<typeof ModelsConfigSchema>;
export type ModelsConfigInput = z.input<typeof ModelsConfigSchema>;

/** Defaults merged with the config: one list of required fields per `<crm>.<object>`. */
export function requiredFieldsFor(config: ModelsConfig, key: string): readonly string[] | undefined {
  return config.requiredFields[key] ?? DEFAULT_REQUIRED_FIELDS[key];
}

export function defaultModelsConfig(): ModelsConfig {
  return ModelsConfigSchema.parse({});
}
