-- staging/stg_salesforce_activities.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_salesforce_activities" AS
-- Salesforce tasks and events. WhoId names a contact (003…) or a lead (00Q…).
with typed as (
  select
    s._tide_source || ':Task:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'salesforce' as crm,
    'Task' as object,
    s._tide_id as crm_id,
    'task' as activity_type,
    coalesce(TRY_CAST(s.activity_date AS TIMESTAMPTZ), s.created_date, s._tide_updated_at) as occurred_at,
    case when s.who_id like '00Q%' then s._tide_source || ':Lead:' || s.who_id
         when s.who_id is not null then s._tide_source || ':Contact:' || s.who_id end as person_record_key,
    coalesce(s.system_modstamp, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'salesforce' AS "_tide_source", "who_id" AS "who_id", "activity_date" AS "activity_date", "created_date" AS "created_date", "system_modstamp" AS "system_modstamp" FROM "raw"."salesforce__task") as s
  where TRUE
  union all
  select
    s._tide_source || ':Event:' || s._tide_id,
    s._tide_source,
    'salesforce',
    'Event',
    s._tide_id,
    'event',
    coalesce(s.activity_date_time, s.created_date, s._tide_updated_at),
    case when s.who_id like '00Q%' then s._tide_source || ':Lead:' || s.who_id
         when s.who_id is not null then s._tide_source || ':Contact:' || s.who_id end,
    coalesce(s.system_modstamp, s._tide_updated_at),
    coalesce(s._tide_deleted, false),
    s._tide_loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'salesforce' AS "_tide_source", "who_id" AS "who_id", "activity_date_time" AS "activity_date_time", "created_date" AS "created_date", "system_modstamp" AS "system_modstamp" FROM "raw"."salesforce__event") as s
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

-- staging/stg_salesforce_activities.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_salesforce_activities" AS t
USING (
-- Salesforce tasks and events. WhoId names a contact (003…) or a lead (00Q…).
with typed as (
  select
    s._tide_source || ':Task:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'salesforce' as crm,
    'Task' as object,
    s._tide_id as crm_id,
    'task' as activity_type,
    coalesce(TRY_CAST(s.activity_date AS TIMESTAMPTZ), s.created_date, s._tide_updated_at) as occurred_at,
    case when s.who_id like '00Q%' then s._tide_source || ':Lead:' || s.who_id
         when s.who_id is not null then s._tide_source || ':Contact:' || s.who_id end as person_record_key,
    coalesce(s.system_modstamp, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'salesforce' AS "_tide_source", "who_id" AS "who_id", "activity_date" AS "activity_date", "created_date" AS "created_date", "system_modstamp" AS "system_modstamp" FROM "raw"."salesforce__task") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_salesforce_activities"), TRUE)
  union all
  select
    s._tide_source || ':Event:' || s._tide_id,
    s._tide_source,
    'salesforce',
    'Event',
    s._tide_id,
    'event',
    coalesce(s.activity_date_time, s.created_date, s._tide_updated_at),
    case when s.who_id like '00Q%' then s._tide_source || ':Lead:' || s.who_id
         when s.who_id is not null then s._tide_source || ':Contact:' || s.who_id end,
    coalesce(s.system_modstamp, s._tide_updated_at),
    coalesce(s._tide_deleted, false),
    s._tide_loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'salesforce' AS "_tide_source", "who_id" AS "who_id", "activity_date_time" AS "activity_date_time", "created_date" AS "created_date", "system_modstamp" AS "system_modstamp" FROM "raw"."salesforce__event") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_salesforce_activities"), TRUE)
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
