-- staging/stg_hubspot_contact_companies.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_hubspot_contact_companies" AS
-- The company a HubSpot contact is associated with (the first of its associations), for contacts
-- whose own record names no company.
with typed as (
  select
    s._tide_source || ':contacts:' || s._tide_id as record_key,
    s._tide_source as source_name,
    json_extract_string(s.company_ids, '$[0]') as company_crm_id,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "company_ids" AS "company_ids" FROM "raw"."hubspot__contact_companies") as s
  where TRUE
)
select
  record_key,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  case when company_crm_id is not null then CAST('0x' || substr(md5(source_name || ':companies:' || company_crm_id), 1, 15) AS BIGINT) end as company_record_id,
  loaded_at
from typed;

-- staging/stg_hubspot_contact_companies.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_hubspot_contact_companies" AS t
USING (
-- The company a HubSpot contact is associated with (the first of its associations), for contacts
-- whose own record names no company.
with typed as (
  select
    s._tide_source || ':contacts:' || s._tide_id as record_key,
    s._tide_source as source_name,
    json_extract_string(s.company_ids, '$[0]') as company_crm_id,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "company_ids" AS "company_ids" FROM "raw"."hubspot__contact_companies") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_hubspot_contact_companies"), TRUE)
)
select
  record_key,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  case when company_crm_id is not null then CAST('0x' || substr(md5(source_name || ':companies:' || company_crm_id), 1, 15) AS BIGINT) end as company_record_id,
  loaded_at
from typed
) AS s
ON t."record_key" = s."record_key"
WHEN MATCHED THEN UPDATE SET "loaded_at" = s."loaded_at"
WHEN NOT MATCHED THEN INSERT ("record_key", "loaded_at") VALUES (s."record_key", s."loaded_at");
