-- staging/stg_dynamics_opportunities.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_dynamics_opportunities" AS
-- Dynamics 365 opportunities: statecode is Open (0), Won (1) or Lost (2); the value is the actual
-- value once won, else the estimate; the customer is an account or a contact (customerid is a
-- Customer lookup), parentaccountid / parentcontactid name them directly.
with typed as (
  select
    s._tide_source || ':opportunities:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'opportunities' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    coalesce(s.actualvalue, s.estimatedvalue) as amount,
    nullif(trim(s.stepname), '') as stage,
    case s.statecode when 1 then 'won' when 2 then 'lost' else 'open' end as status,
    coalesce(TRY_CAST(s.actualclosedate AS TIMESTAMPTZ), TRY_CAST(s.estimatedclosedate AS TIMESTAMPTZ)) as close_date,
    lower(coalesce(nullif(trim(s.parentcontactid), ''), case when s.customerid_type = 'contact' then nullif(trim(s.customerid), '') end)) as contact_crm_id,
    s._tide_source || ':accounts:' || lower(coalesce(nullif(trim(s.parentaccountid), ''), case when s.customerid_type = 'account' then nullif(trim(s.customerid), '') end)) as company_record_key,
    coalesce(s.createdon, s._tide_updated_at) as created_at,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "name" AS "name", "estimatedvalue" AS "estimatedvalue", "actualvalue" AS "actualvalue", "statecode" AS "statecode", "stepname" AS "stepname", "estimatedclosedate" AS "estimatedclosedate", "actualclosedate" AS "actualclosedate", "customerid" AS "customerid", "customerid_type" AS "customerid_type", "parentaccountid" AS "parentaccountid", "parentcontactid" AS "parentcontactid", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__opportunities") as s
  where TRUE
)
select
  typed.*,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  CAST('0x' || substr(md5(company_record_key), 1, 15) AS BIGINT) as company_record_id,
  case when contact_crm_id is not null then CAST('0x' || substr(md5(source_name || ':contacts:' || contact_crm_id), 1, 15) AS BIGINT) end as person_record_id
from typed;

-- staging/stg_dynamics_opportunities.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_dynamics_opportunities" AS t
USING (
-- Dynamics 365 opportunities: statecode is Open (0), Won (1) or Lost (2); the value is the actual
-- value once won, else the estimate; the customer is an account or a contact (customerid is a
-- Customer lookup), parentaccountid / parentcontactid name them directly.
with typed as (
  select
    s._tide_source || ':opportunities:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'opportunities' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    coalesce(s.actualvalue, s.estimatedvalue) as amount,
    nullif(trim(s.stepname), '') as stage,
    case s.statecode when 1 then 'won' when 2 then 'lost' else 'open' end as status,
    coalesce(TRY_CAST(s.actualclosedate AS TIMESTAMPTZ), TRY_CAST(s.estimatedclosedate AS TIMESTAMPTZ)) as close_date,
    lower(coalesce(nullif(trim(s.parentcontactid), ''), case when s.customerid_type = 'contact' then nullif(trim(s.customerid), '') end)) as contact_crm_id,
    s._tide_source || ':accounts:' || lower(coalesce(nullif(trim(s.parentaccountid), ''), case when s.customerid_type = 'account' then nullif(trim(s.customerid), '') end)) as company_record_key,
    coalesce(s.createdon, s._tide_updated_at) as created_at,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "name" AS "name", "estimatedvalue" AS "estimatedvalue", "actualvalue" AS "actualvalue", "statecode" AS "statecode", "stepname" AS "stepname", "estimatedclosedate" AS "estimatedclosedate", "actualclosedate" AS "actualclosedate", "customerid" AS "customerid", "customerid_type" AS "customerid_type", "parentaccountid" AS "parentaccountid", "parentcontactid" AS "parentcontactid", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__opportunities") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_dynamics_opportunities"), TRUE)
)
select
  typed.*,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  CAST('0x' || substr(md5(company_record_key), 1, 15) AS BIGINT) as company_record_id,
  case when contact_crm_id is not null then CAST('0x' || substr(md5(source_name || ':contacts:' || contact_crm_id), 1, 15) AS BIGINT) end as person_record_id
from typed
) AS s
ON t."record_key" = s."record_key"
WHEN MATCHED THEN UPDATE SET "loaded_at" = s."loaded_at"
WHEN NOT MATCHED THEN INSERT ("record_key", "loaded_at") VALUES (s."record_key", s."loaded_at");
