-- staging/stg_hubspot_deals.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_hubspot_deals" AS
-- HubSpot deals. Status from hs_is_closed(_won) when HubSpot computed it, else from the stage id.
with typed as (
  select
    s._tide_source || ':deals:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'hubspot' as crm,
    'deals' as object,
    s._tide_id as crm_id,
    nullif(trim(s.dealname), '') as name,
    s.amount,
    s.dealstage as stage,
    case
      when s.hs_is_closed_won or s.dealstage = 'closedwon' then 'won'
      when s.hs_is_closed or s.dealstage = 'closedlost' then 'lost'
      else 'open'
    end as status,
    s.closedate as close_date,
    s.associated_contact_ids as contact_crm_ids,
    s._tide_source || ':companies:' || json_extract_string(s.associated_company_ids, '$[0]') as company_record_key,
    coalesce(s.createdate, s._tide_updated_at) as created_at,
    coalesce(s.hs_lastmodifieddate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "dealname" AS "dealname", "amount" AS "amount", "dealstage" AS "dealstage", "hs_is_closed_won" AS "hs_is_closed_won", "hs_is_closed" AS "hs_is_closed", "closedate" AS "closedate", "createdate" AS "createdate", "hs_lastmodifieddate" AS "hs_lastmodifieddate", "associated_contact_ids" AS "associated_contact_ids", "associated_company_ids" AS "associated_company_ids" FROM "raw"."hubspot__deals") as s
  where TRUE
)
select
  typed.*,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  CAST('0x' || substr(md5(company_record_key), 1, 15) AS BIGINT) as company_record_id
from typed;

-- staging/stg_hubspot_deals.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_hubspot_deals" AS t
USING (
-- HubSpot deals. Status from hs_is_closed(_won) when HubSpot computed it, else from the stage id.
with typed as (
  select
    s._tide_source || ':deals:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'hubspot' as crm,
    'deals' as object,
    s._tide_id as crm_id,
    nullif(trim(s.dealname), '') as name,
    s.amount,
    s.dealstage as stage,
    case
      when s.hs_is_closed_won or s.dealstage = 'closedwon' then 'won'
      when s.hs_is_closed or s.dealstage = 'closedlost' then 'lost'
      else 'open'
    end as status,
    s.closedate as close_date,
    s.associated_contact_ids as contact_crm_ids,
    s._tide_source || ':companies:' || json_extract_string(s.associated_company_ids, '$[0]') as company_record_key,
    coalesce(s.createdate, s._tide_updated_at) as created_at,
    coalesce(s.hs_lastmodifieddate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "dealname" AS "dealname", "amount" AS "amount", "dealstage" AS "dealstage", "hs_is_closed_won" AS "hs_is_closed_won", "hs_is_closed" AS "hs_is_closed", "closedate" AS "closedate", "createdate" AS "createdate", "hs_lastmodifieddate" AS "hs_lastmodifieddate", "associated_contact_ids" AS "associated_contact_ids", "associated_company_ids" AS "associated_company_ids" FROM "raw"."hubspot__deals") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_hubspot_deals"), TRUE)
)
select
  typed.*,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  CAST('0x' || substr(md5(company_record_key), 1, 15) AS BIGINT) as company_record_id
from typed
) AS s
ON t."record_key" = s."record_key"
WHEN MATCHED THEN UPDATE SET "loaded_at" = s."loaded_at"
WHEN NOT MATCHED THEN INSERT ("record_key", "loaded_at") VALUES (s."record_key", s."loaded_at");
