-- staging/stg_hubspot_activities.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_hubspot_activities" AS
-- HubSpot engagements (calls, emails, meetings, notes, tasks) in one shape: when, and which contacts.
-- The five streams are declared with the same columns in models/sources.json, so they union as they
-- are; each one only adds its stream name and activity type.
with engagements as (
  select 'calls' as object, 'call' as activity_type, s.* from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "hs_timestamp" AS "hs_timestamp", "hs_lastmodifieddate" AS "hs_lastmodifieddate", "associated_contact_ids" AS "associated_contact_ids" FROM "raw"."hubspot__calls") as s union all
  select 'emails', 'email', s.* from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "hs_timestamp" AS "hs_timestamp", "hs_lastmodifieddate" AS "hs_lastmodifieddate", "associated_contact_ids" AS "associated_contact_ids" FROM "raw"."hubspot__emails") as s union all
  select 'meetings', 'meeting', s.* from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "hs_timestamp" AS "hs_timestamp", "hs_lastmodifieddate" AS "hs_lastmodifieddate", "associated_contact_ids" AS "associated_contact_ids" FROM "raw"."hubspot__meetings") as s union all
  select 'notes', 'note', s.* from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "hs_timestamp" AS "hs_timestamp", "hs_lastmodifieddate" AS "hs_lastmodifieddate", "associated_contact_ids" AS "associated_contact_ids" FROM "raw"."hubspot__notes") as s union all
  select 'tasks', 'task', s.* from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "hs_timestamp" AS "hs_timestamp", "hs_lastmodifieddate" AS "hs_lastmodifieddate", "associated_contact_ids" AS "associated_contact_ids" FROM "raw"."hubspot__tasks") as s
),
typed as (
  select
    e._tide_source || ':' || e.object || ':' || e._tide_id as record_key,
    e._tide_source as source_name,
    'hubspot' as crm,
    e.object,
    e._tide_id as crm_id,
    e.activity_type,
    coalesce(e.hs_timestamp, e._tide_updated_at) as occurred_at,
    e.associated_contact_ids as contact_crm_ids,
    coalesce(e.hs_lastmodifieddate, e._tide_updated_at) as updated_at,
    coalesce(e._tide_deleted, false) as is_deleted,
    e._tide_loaded_at as loaded_at
  from engagements as e
  where TRUE
)
select typed.*, CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id
from typed;

-- staging/stg_hubspot_activities.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_hubspot_activities" AS t
USING (
-- HubSpot engagements (calls, emails, meetings, notes, tasks) in one shape: when, and which contacts.
-- The five streams are declared with the same columns in models/sources.json, so they union as they
-- are; each one only adds its stream name and activity type.
with engagements as (
  select 'calls' as object, 'call' as activity_type, s.* from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "hs_timestamp" AS "hs_timestamp", "hs_lastmodifieddate" AS "hs_lastmodifieddate", "associated_contact_ids" AS "associated_contact_ids" FROM "raw"."hubspot__calls") as s union all
  select 'emails', 'email', s.* from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "hs_timestamp" AS "hs_timestamp", "hs_lastmodifieddate" AS "hs_lastmodifieddate", "associated_contact_ids" AS "associated_contact_ids" FROM "raw"."hubspot__emails") as s union all
  select 'meetings', 'meeting', s.* from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "hs_timestamp" AS "hs_timestamp", "hs_lastmodifieddate" AS "hs_lastmodifieddate", "associated_contact_ids" AS "associated_contact_ids" FROM "raw"."hubspot__meetings") as s union all
  select 'notes', 'note', s.* from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "hs_timestamp" AS "hs_timestamp", "hs_lastmodifieddate" AS "hs_lastmodifieddate", "associated_contact_ids" AS "associated_contact_ids" FROM "raw"."hubspot__notes") as s union all
  select 'tasks', 'task', s.* from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'hubspot' AS "_tide_source", "hs_timestamp" AS "hs_timestamp", "hs_lastmodifieddate" AS "hs_lastmodifieddate", "associated_contact_ids" AS "associated_contact_ids" FROM "raw"."hubspot__tasks") as s
),
typed as (
  select
    e._tide_source || ':' || e.object || ':' || e._tide_id as record_key,
    e._tide_source as source_name,
    'hubspot' as crm,
    e.object,
    e._tide_id as crm_id,
    e.activity_type,
    coalesce(e.hs_timestamp, e._tide_updated_at) as occurred_at,
    e.associated_contact_ids as contact_crm_ids,
    coalesce(e.hs_lastmodifieddate, e._tide_updated_at) as updated_at,
    coalesce(e._tide_deleted, false) as is_deleted,
    e._tide_loaded_at as loaded_at
  from engagements as e
  where COALESCE(e._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_hubspot_activities"), TRUE)
)
select typed.*, CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id
from typed
) AS s
ON t."record_key" = s."record_key"
WHEN MATCHED THEN UPDATE SET "loaded_at" = s."loaded_at"
WHEN NOT MATCHED THEN INSERT ("record_key", "loaded_at") VALUES (s."record_key", s."loaded_at");
