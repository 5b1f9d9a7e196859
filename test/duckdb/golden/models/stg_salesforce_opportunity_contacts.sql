-- staging/stg_salesforce_opportunity_contacts.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_salesforce_opportunity_contacts" AS
-- OpportunityContactRole: every contact that plays a role in an opportunity.
with typed as (
  select
    s._tide_source || ':OpportunityContactRole:' || s._tide_id as record_key,
    s._tide_source || ':Opportunity:' || s.opportunity_id as deal_key,
    s._tide_source || ':Contact:' || s.contact_id as person_record_key,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'salesforce' AS "_tide_source", "opportunity_id" AS "opportunity_id", "contact_id" AS "contact_id", "system_modstamp" AS "system_modstamp" FROM "raw"."salesforce__opportunity_contact_role") as s
  where TRUE
)
select typed.*, CAST('0x' || substr(md5(person_record_key), 1, 15) AS BIGINT) as person_record_id
from typed;

-- staging/stg_salesforce_opportunity_contacts.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_salesforce_opportunity_contacts" AS t
USING (
-- OpportunityContactRole: every contact that plays a role in an opportunity.
with typed as (
  select
    s._tide_source || ':OpportunityContactRole:' || s._tide_id as record_key,
    s._tide_source || ':Opportunity:' || s.opportunity_id as deal_key,
    s._tide_source || ':Contact:' || s.contact_id as person_record_key,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'salesforce' AS "_tide_source", "opportunity_id" AS "opportunity_id", "contact_id" AS "contact_id", "system_modstamp" AS "system_modstamp" FROM "raw"."salesforce__opportunity_contact_role") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_salesforce_opportunity_contacts"), TRUE)
)
select typed.*, CAST('0x' || substr(md5(person_record_key), 1, 15) AS BIGINT) as person_record_id
from typed
) AS s
ON t."record_key" = s."record_key"
WHEN MATCHED THEN UPDATE SET "loaded_at" = s."loaded_at"
WHEN NOT MATCHED THEN INSERT ("record_key", "loaded_at") VALUES (s."record_key", s."loaded_at");
