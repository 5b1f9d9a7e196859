-- staging/stg_pipedrive_deals.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_pipedrive_deals" AS
-- Pipedrive deals: status is open, won, lost or deleted (deleted deals count as deleted records).
with typed as (
  select
    s._tide_source || ':deals:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'pipedrive' as crm,
    'deals' as object,
    s._tide_id as crm_id,
    nullif(trim(s.title), '') as name,
    s.value as amount,
    s.stage_id as stage,
    case lower(s.status) when 'won' then 'won' when 'lost' then 'lost' else 'open' end as status,
    coalesce(s.close_time, TRY_CAST(s.expected_close_date AS TIMESTAMPTZ)) as close_date,
    nullif(trim(s.person_id), '') as contact_crm_id,
    s._tide_source || ':organizations:' || nullif(trim(s.org_id), '') as company_record_key,
    coalesce(s.add_time, s._tide_updated_at) as created_at,
    coalesce(s.update_time, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) or coalesce(lower(s.status) = 'deleted', false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'pipedrive' AS "_tide_source", "title" AS "title", "value" AS "value", "status" AS "status", "stage_id" AS "stage_id", "person_id" AS "person_id", "org_id" AS "org_id", "expected_close_date" AS "expected_close_date", "close_time" AS "close_time", "add_time" AS "add_time", "update_time" AS "update_time" FROM "raw"."pipedrive__deals") as s
  where TRUE
)
select
  typed.*,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  CAST('0x' || substr(md5(company_record_key), 1, 15) AS BIGINT) as company_record_id,
  case when contact_crm_id is not null then CAST('0x' || substr(md5(source_name || ':persons:' || contact_crm_id), 1, 15) AS BIGINT) end as person_record_id
from typed;

-- staging/stg_pipedrive_deals.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_pipedrive_deals" AS t
USING (
-- Pipedrive deals: status is open, won, lost or deleted (deleted deals count as deleted records).
with typed as (
  select
    s._tide_source || ':deals:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'pipedrive' as crm,
    'deals' as object,
    s._tide_id as crm_id,
    nullif(trim(s.title), '') as name,
    s.value as amount,
    s.stage_id as stage,
    case lower(s.status) when 'won' then 'won' when 'lost' then 'lost' else 'open' end as status,
    coalesce(s.close_time, TRY_CAST(s.expected_close_date AS TIMESTAMPTZ)) as close_date,
    nullif(trim(s.person_id), '') as contact_crm_id,
    s._tide_source || ':organizations:' || nullif(trim(s.org_id), '') as company_record_key,
    coalesce(s.add_time, s._tide_updated_at) as created_at,
    coalesce(s.update_time, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) or coalesce(lower(s.status) = 'deleted', false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'pipedrive' AS "_tide_source", "title" AS "title", "value" AS "value", "status" AS "status", "stage_id" AS "stage_id", "person_id" AS "person_id", "org_id" AS "org_id", "expected_close_date" AS "expected_close_date", "close_time" AS "close_time", "add_time" AS "add_time", "update_time" AS "update_time" FROM "raw"."pipedrive__deals") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_pipedrive_deals"), TRUE)
)
select
  typed.*,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  CAST('0x' || substr(md5(company_record_key), 1, 15) AS BIGINT) as company_record_id,
  case when contact_crm_id is not null then CAST('0x' || substr(md5(source_name || ':persons:' || contact_crm_id), 1, 15) AS BIGINT) end as person_record_id
from typed
) AS s
ON t."record_key" = s."record_key"
WHEN MATCHED THEN UPDATE SET "loaded_at" = s."loaded_at"
WHEN NOT MATCHED THEN INSERT ("record_key", "loaded_at") VALUES (s."record_key", s."loaded_at");
