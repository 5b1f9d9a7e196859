-- staging/stg_salesforce_opportunities.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_salesforce_opportunities" AS
-- Salesforce opportunities: amount, open/won/lost, the account and the contact they were opened for.
with typed as (
  select
    s._tide_source || ':Opportunity:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'salesforce' as crm,
    'Opportunity' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    s.amount,
    s.stage_name as stage,
    case
      when s.is_won or s.stage_name = 'Closed Won' then 'won'
      when s.is_closed or s.stage_name = 'Closed Lost' then 'lost'
      else 'open'
    end as status,
    TRY_CAST(s.close_date AS TIMESTAMPTZ) as close_date,
    nullif(trim(s.contact_id), '') as contact_crm_id,
    s._tide_source || ':Account:' || nullif(trim(s.account_id), '') as company_record_key,
    coalesce(s.created_date, s._tide_updated_at) as created_at,
    coalesce(s.system_modstamp, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'salesforce' AS "_tide_source", "name" AS "name", "account_id" AS "account_id", "contact_id" AS "contact_id", "amount" AS "amount", "stage_name" AS "stage_name", "is_closed" AS "is_closed", "is_won" AS "is_won", "close_date" AS "close_date", "created_date" AS "created_date", "system_modstamp" AS "system_modstamp" FROM "raw"."salesforce__opportunity") as s
  where TRUE
)
select
  typed.*,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  CAST('0x' || substr(md5(company_record_key), 1, 15) AS BIGINT) as company_record_id,
  case when contact_crm_id is not null then CAST('0x' || substr(md5(source_name || ':Contact:' || contact_crm_id), 1, 15) AS BIGINT) end as person_record_id
from typed;

-- staging/stg_salesforce_opportunities.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_salesforce_opportunities" AS t
USING (
-- Salesforce opportunities: amount, open/won/lost, the account and the contact they were opened for.
with typed as (
  select
    s._tide_source || ':Opportunity:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'salesforce' as crm,
    'Opportunity' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    s.amount,
    s.stage_name as stage,
    case
      when s.is_won or s.stage_name = 'Closed Won' then 'won'
      when s.is_closed or s.stage_name = 'Closed Lost' then 'lost'
      else 'open'
    end as status,
    TRY_CAST(s.close_date AS TIMESTAMPTZ) as close_date,
    nullif(trim(s.contact_id), '') as contact_crm_id,
    s._tide_source || ':Account:' || nullif(trim(s.account_id), '') as company_record_key,
    coalesce(s.created_date, s._tide_updated_at) as created_at,
    coalesce(s.system_modstamp, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'salesforce' AS "_tide_source", "name" AS "name", "account_id" AS "account_id", "contact_id" AS "contact_id", "amount" AS "amount", "stage_name" AS "stage_name", "is_closed" AS "is_closed", "is_won" AS "is_won", "close_date" AS "close_date", "created_date" AS "created_date", "system_modstamp" AS "system_modstamp" FROM "raw"."salesforce__opportunity") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_salesforce_opportunities"), TRUE)
)
select
  typed.*,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  CAST('0x' || substr(md5(company_record_key), 1, 15) AS BIGINT) as company_record_id,
  case when contact_crm_id is not null then CAST('0x' || substr(md5(source_name || ':Contact:' || contact_crm_id), 1, 15) AS BIGINT) end as person_record_id
from typed
) AS s
ON t."record_key" = s."record_key"
WHEN MATCHED THEN UPDATE SET "loaded_at" = s."loaded_at"
WHEN NOT MATCHED THEN INSERT ("record_key", "loaded_at") VALUES (s."record_key", s."loaded_at");
