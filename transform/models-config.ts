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

const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case column name (letters, digits, _)');
const crmName = z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, 'a CRM kind such as hubspot or salesforce');

/**
 * The `models` section of pipeline.config.ts. Every key is optional; models read these values through
 * runner macros (`source_rank`, `required_completion`, `is_role_inbox`, `is_free_mail`, `var`), so
 * changing config never means editing SQL.
 */
export const ModelsConfigSchema = z
  .object({
    /**
     * Your own models folder, built together with the models shipped with Tide: a model adds to them,
     * one named like a shipped model replaces it. null = only the shipped models. Relative paths
     * resolve from the cwd.
     */
    dir: z.string().min(1).nullable().default(null),
    /**
     * Where `tide models run` (and `tide run`) writes the Kysely `Database` interface of the warehouse
     * after building (`tide types` writes it on demand); null = never. Relative to the working directory.
     */
    typesFile: z.string().min(1).nullable().default('tide-database.ts'),
    /** Build the models at the end of `tide run`. */
    runAfterExtract: z.boolean().default(true),
    /**
     * Models built at once when they do not depend on each other; null = the warehouse's default
     * (DuckDB 1: one query already uses every core; BigQuery 4: jobs wait on the network).
     */
    concurrency: z.number().int().positive().max(16).nullable().default(null),
    /**
     * Skip a model whose SQL, config, descriptions and inputs (the raw and Tide tables it reads, the
     * models it refs) are what they were at its last build: its table is already what a build would
     * write. false = build every selected model every run. `--full-refresh` always builds.
     */
    skipUnchanged: z.boolean().default(true),
    /**
     * A model that reads the run's clock (`run_started_at()`: customer_scores' activity window,
     * quality_metrics' freshness) is built again once its last build is this old, even with unchanged
     * inputs; 0 = every run.
     */
    clockModelsMaxAgeMinutes: z.number().int().min(0).max(10_080).default(60),
    /** Survivorship: which CRM's value wins for a customer field (first = most trusted). */
    /** null = each connector's own rank (connectors/<crm>/<crm>-connector.ts: models.priority). */
    sourcePriority: z.array(crmName).nonempty().nullable().default(null),
    /** Per-field overrides of sourcePriority, keyed by customers column (e.g. phone: [pipedrive, ...]). */
    fieldPriority: z.record(identifier, z.array(crmName).nonempty()).default({}),
    /**
     * Required fields per `<crm>.<object>` for the completion metric; replaces that key's default
     * (each connector declares its own defaults).
     */
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
    /** Identity resolution: the optional rules (transform/macros/match-rules.ts); every other rule is always on. */
    identity: z
      .object({
        /**
         * near_name: a nickname or a one-letter difference in the first or last name, same company, no
         * conflicting evidence. Off by default: it finds more duplicates at a measured cost in
         * precision (BENCHMARKS.md, identity resolution).
         */
        nearNames: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
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

/** The models section as parsed, before the connectors' defaults are filled in. */
export type ParsedModelsConfig = z.output<typeof ModelsConfigSchema>;
export type ModelsConfigInput = z.input<typeof ModelsConfigSchema>;

/** What the connectors contribute to the models section (config/ assembles it from the registry). */
export interface ModelsDefaults {
  readonly sourcePriority: readonly [string, ...string[]];
  readonly requiredFields: Readonly<Record<string, readonly string[]>>;
}

/** The models section the runner uses: config values, with the connectors' defaults where it has none. */
export interface ModelsConfig extends Omit<ParsedModelsConfig, 'sourcePriority' | 'requiredFields'> {
  readonly sourcePriority: readonly string[];
  /** Every `<crm>.<object>` with required fields: the defaults, replaced per key by the config's. */
  readonly requiredFields: Readonly<Record<string, readonly string[]>>;
}

export function resolveModelsConfig(parsed: ParsedModelsConfig, defaults: ModelsDefaults): ModelsConfig {
  return {
    ...parsed,
    sourcePriority: parsed.sourcePriority ?? defaults.sourcePriority,
    requiredFields: { ...defaults.requiredFields, ...parsed.requiredFields },
  };
}

export function requiredFieldsFor(config: ModelsConfig, key: string): readonly string[] | undefined {
  return config.requiredFields[key];
}
