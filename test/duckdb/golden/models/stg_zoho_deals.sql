-- staging/stg_zoho_deals.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_zoho_deals" AS
-- Zoho CRM deals: amount, stage (Closed Won / Closed Lost close them), the account and the contact.
with typed as (
  select
    s._tide_source || ':Deals:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'zoho' as crm,
    'Deals' as object,
    s._tide_id as crm_id,
    nullif(trim(s.deal_name), '') as name,
    s.amount,
    s.stage,
    case
      when s.stage = 'Closed Won' then 'won'
      when s.stage like 'Closed%' then 'lost'
      else 'open'
    end as status,
    TRY_CAST(s.closing_date AS TIMESTAMPTZ) as close_date,
    nullif(trim(s.contact_name), '') as contact_crm_id,
    s._tide_source || ':Accounts:' || nullif(trim(s.account_name), '') as company_record_key,
    coalesce(s.created_time, s._tide_updated_at) as created_at,
    coalesce(s.modified_time, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT CAST(NULL AS VARCHAR) AS "_tide_id", CAST(NULL AS TIMESTAMPTZ) AS "_tide_updated_at", CAST(NULL AS BOOLEAN) AS "_tide_deleted", CAST(NULL AS JSON) AS "_tide_record", CAST(NULL AS TIMESTAMPTZ) AS "_tide_loaded_at", CAST(NULL AS VARCHAR) AS "_tide_load_id", CAST(NULL AS VARCHAR) AS "_tide_source", CAST(NULL AS VARCHAR) AS "deal_name", CAST(NULL AS DOUBLE) AS "amount", CAST(NULL AS VARCHAR) AS "stage", CAST(NULL AS DATE) AS "closing_date", CAST(NULL AS VARCHAR) AS "account_name", CAST(NULL AS VARCHAR) AS "contact_name", CAST(NULL AS TIMESTAMPTZ) AS "created_time", CAST(NULL AS TIMESTAMPTZ) AS "modified_time" LIMIT 0) as s
  where TRUE
)
select
  typed.*,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  CAST('0x' || substr(md5(company_record_key), 1, 15) AS BIGINT) as company_record_id,
  case when contact_crm_id is not null then CAST('0x' || substr(md5(source_name || ':Contacts:' || contact_crm_id), 1, 15) AS BIGINT) end as person_record_id
from typed;

-- staging/stg_zoho_deals.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_zoho_deals" AS t
USING (
-- Zoho CRM deals: amount, stage (Closed Won / Closed Lost close them), the account and the contact.
with typed as (
  select
    s._tide_source || ':Deals:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'zoho' as crm,
    'Deals' as object,
    s._tide_id as crm_id,
    nullif(trim(s.deal_name), '') as name,
    s.amount,
    s.stage,
    case
      when s.stage = 'Closed Won' then 'won'
      when s.stage like 'Closed%' then 'lost'
      else 'open'
    end as status,
    TRY_CAST(s.closing_date AS TIMESTAMPTZ) as close_date,
    nullif(trim(s.contact_name), '') as contact_crm_id,
    s._tide_source || ':Accounts:' || nullif(trim(s.account_name), '') as company_record_key,
    coalesce(s.created_time, s._tide_updated_at) as created_at,
    coalesce(s.modified_time, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT CAST(NULL AS VARCHAR) AS "_tide_id", CAST(NULL AS TIMESTAMPTZ) AS "_tide_updated_at", CAST(NULL AS BOOLEAN) AS "_tide_deleted", CAST(NULL AS JSON) AS "_tide_record", CAST(NULL AS TIMESTAMPTZ) AS "_tide_loaded_at", CAST(NULL AS VARCHAR) AS "_tide_load_id", CAST(NULL AS VARCHAR) AS "_tide_source", CAST(NULL AS VARCHAR) AS "deal_name", CAST(NULL AS DOUBLE) AS "amount", CAST(NULL AS VARCHAR) AS "stage", CAST(NULL AS DATE) AS "closing_date", CAST(NULL AS VARCHAR) AS "account_name", CAST(NULL AS VARCHAR) AS "contact_name", CAST(NULL AS TIMESTAMPTZ) AS "created_time", CAST(NULL AS TIMESTAMPTZ) AS "modified_time" LIMIT 0) as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_zoho_deals"), TRUE)
)
select
  typed.*,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  CAST('0x' || substr(md5(company_record_key), 1, 15) AS BIGINT) as company_record_id,
  case when contact_crm_id is not null then CAST('0x' || substr(md5(source_name || ':Contacts:' || contact_crm_id), 1, 15) AS BIGINT) end as person_record_id
from typed
) AS s
ON t."record_key" = s."record_key"
WHEN MATCHED THEN UPDATE SET "loaded_at" = s."loaded_at"
WHEN NOT MATCHED THEN INSERT ("record_key", "loaded_at") VALUES (s."record_key", s."loaded_at");
