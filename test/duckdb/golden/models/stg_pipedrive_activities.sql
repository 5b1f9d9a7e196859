-- staging/stg_pipedrive_activities.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_pipedrive_activities" AS
-- Pipedrive activities: when (done time, else due date) and with which person.
with typed as (
  select
    s._tide_source || ':activities:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'pipedrive' as crm,
    'activities' as object,
    s._tide_id as crm_id,
    coalesce(nullif(trim(s.type), ''), 'activity') as activity_type,
    coalesce(s.marked_as_done_time, TRY_CAST(s.due_date AS TIMESTAMPTZ), s.add_time, s._tide_updated_at) as occurred_at,
    case when nullif(trim(s.person_id), '') is not null then s._tide_source || ':persons:' || trim(s.person_id) end as person_record_key,
    coalesce(s.update_time, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'pipedrive' AS "_tide_source", "type" AS "type", "person_id" AS "person_id", "due_date" AS "due_date", "done" AS "done", "marked_as_done_time" AS "marked_as_done_time", "add_time" AS "add_time", "update_time" AS "update_time" FROM "raw"."pipedrive__activities") as s
  where TRUE
)
select
  record_key,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  source_name,
  crm,
  object,
  crm_id,
  activity_type,
  occurred_at,
  CAST('0x' || substr(md5(person_record_key), 1, 15) AS BIGINT) as person_record_id,
  updated_at,
  is_deleted,
  loaded_at
from typed;

-- staging/stg_pipedrive_activities.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_pipedrive_activities" AS t
USING (
-- Pipedrive activities: when (done time, else due date) and with which person.
with typed as (
  select
    s._tide_source || ':activities:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'pipedrive' as crm,
    'activities' as object,
    s._tide_id as crm_id,
    coalesce(nullif(trim(s.type), ''), 'activity') as activity_type,
    coalesce(s.marked_as_done_time, TRY_CAST(s.due_date AS TIMESTAMPTZ), s.add_time, s._tide_updated_at) as occurred_at,
    case when nullif(trim(s.person_id), '') is not null then s._tide_source || ':persons:' || trim(s.person_id) end as person_record_key,
    coalesce(s.update_time, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'pipedrive' AS "_tide_source", "type" AS "type", "person_id" AS "person_id", "due_date" AS "due_date", "done" AS "done", "marked_as_done_time" AS "marked_as_done_time", "add_time" AS "add_time", "update_time" AS "update_time" FROM "raw"."pipedrive__activities") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_pipedrive_activities"), TRUE)
)
select
  record_key,
  CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id,
  source_name,
  crm,
  object,
  crm_id,
  activity_type,
  occurred_at,
  CAST('0x' || substr(md5(person_record_key), 1, 15) AS BIGINT) as person_record_id,
  updated_at,
  is_deleted,
  loaded_at
from typed
) AS s
ON t."record_key" = s."record_key"
WHEN MATCHED THEN UPDATE SET "loaded_at" = s."loaded_at"
WHEN NOT MATCHED THEN INSERT ("record_key", "loaded_at") VALUES (s."record_key", s."loaded_at");
