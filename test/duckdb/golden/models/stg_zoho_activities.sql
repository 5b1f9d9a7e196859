-- staging/stg_zoho_activities.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_zoho_activities" AS
-- Zoho CRM tasks, calls, events and notes. Who_Id names a contact; a lead is linked through What_Id
-- with $se_module = 'Leads' (a note through Parent_Id and $se_module).
with typed as (
  select
    s._tide_source || ':Tasks:' || s._tide_id as record_key, s._tide_source as source_name, 'zoho' as crm,
    'Tasks' as object, s._tide_id as crm_id, 'task' as activity_type,
    coalesce(TRY_CAST(s.due_date AS TIMESTAMPTZ), s.created_time, s._tide_updated_at) as occurred_at,
    case when nullif(trim(s.who_id), '') is not null then s._tide_source || ':Contacts:' || trim(s.who_id)
         when s.se_module = 'Leads' and nullif(trim(s.what_id), '') is not null then s._tide_source || ':Leads:' || trim(s.what_id) end as person_record_key,
    coalesce(s.modified_time, s._tide_updated_at) as updated_at, coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT CAST(NULL AS VARCHAR) AS "_tide_id", CAST(NULL AS TIMESTAMPTZ) AS "_tide_updated_at", CAST(NULL AS BOOLEAN) AS "_tide_deleted", CAST(NULL AS JSON) AS "_tide_record", CAST(NULL AS TIMESTAMPTZ) AS "_tide_loaded_at", CAST(NULL AS VARCHAR) AS "_tide_load_id", CAST(NULL AS VARCHAR) AS "_tide_source", CAST(NULL AS VARCHAR) AS "who_id", CAST(NULL AS VARCHAR) AS "what_id", CAST(NULL AS VARCHAR) AS "se_module", CAST(NULL AS DATE) AS "due_date", CAST(NULL AS TIMESTAMPTZ) AS "created_time", CAST(NULL AS TIMESTAMPTZ) AS "modified_time" LIMIT 0) as s
  where TRUE
  union all
  select
    s._tide_source || ':Calls:' || s._tide_id, s._tide_source, 'zoho', 'Calls', s._tide_id, 'call',
    coalesce(s.call_start_time, s.created_time, s._tide_updated_at),
    case when nullif(trim(s.who_id), '') is not null then s._tide_source || ':Contacts:' || trim(s.who_id)
         when s.se_module = 'Leads' and nullif(trim(s.what_id), '') is not null then s._tide_source || ':Leads:' || trim(s.what_id) end,
    coalesce(s.modified_time, s._tide_updated_at), coalesce(s._tide_deleted, false), s._tide_loaded_at
  from (SELECT CAST(NULL AS VARCHAR) AS "_tide_id", CAST(NULL AS TIMESTAMPTZ) AS "_tide_updated_at", CAST(NULL AS BOOLEAN) AS "_tide_deleted", CAST(NULL AS JSON) AS "_tide_record", CAST(NULL AS TIMESTAMPTZ) AS "_tide_loaded_at", CAST(NULL AS VARCHAR) AS "_tide_load_id", CAST(NULL AS VARCHAR) AS "_tide_source", CAST(NULL AS VARCHAR) AS "who_id", CAST(NULL AS VARCHAR) AS "what_id", CAST(NULL AS VARCHAR) AS "se_module", CAST(NULL AS TIMESTAMPTZ) AS "call_start_time", CAST(NULL AS TIMESTAMPTZ) AS "created_time", CAST(NULL AS TIMESTAMPTZ) AS "modified_time" LIMIT 0) as s
  where TRUE
  union all
  select
    s._tide_source || ':Events:' || s._tide_id, s._tide_source, 'zoho', 'Events', s._tide_id, 'event',
    coalesce(s.start_date_time, s.created_time, s._tide_updated_at),
    case when nullif(trim(s.who_id), '') is not null then s._tide_source || ':Contacts:' || trim(s.who_id)
         when s.se_module = 'Leads' and nullif(trim(s.what_id), '') is not null then s._tide_source || ':Leads:' || trim(s.what_id) end,
    coalesce(s.modified_time, s._tide_updated_at), coalesce(s._tide_deleted, false), s._tide_loaded_at
  from (SELECT CAST(NULL AS VARCHAR) AS "_tide_id", CAST(NULL AS TIMESTAMPTZ) AS "_tide_updated_at", CAST(NULL AS BOOLEAN) AS "_tide_deleted", CAST(NULL AS JSON) AS "_tide_record", CAST(NULL AS TIMESTAMPTZ) AS "_tide_loaded_at", CAST(NULL AS VARCHAR) AS "_tide_load_id", CAST(NULL AS VARCHAR) AS "_tide_source", CAST(NULL AS VARCHAR) AS "who_id", CAST(NULL AS VARCHAR) AS "what_id", CAST(NULL AS VARCHAR) AS "se_module", CAST(NULL AS TIMESTAMPTZ) AS "start_date_time", CAST(NULL AS TIMESTAMPTZ) AS "created_time", CAST(NULL AS TIMESTAMPTZ) AS "modified_time" LIMIT 0) as s
  where TRUE
  union all
  select
    s._tide_source || ':Notes:' || s._tide_id, s._tide_source, 'zoho', 'Notes', s._tide_id, 'note',
    coalesce(s.created_time, s._tide_updated_at),
    case when s.se_module in ('Contacts', 'Leads') and nullif(trim(s.parent_id), '') is not null
         then s._tide_source || ':' || s.se_module || ':' || trim(s.parent_id) end,
    coalesce(s.modified_time, s._tide_updated_at), coalesce(s._tide_deleted, false), s._tide_loaded_at
  from (SELECT CAST(NULL AS VARCHAR) AS "_tide_id", CAST(NULL AS TIMESTAMPTZ) AS "_tide_updated_at", CAST(NULL AS BOOLEAN) AS "_tide_deleted", CAST(NULL AS JSON) AS "_tide_record", CAST(NULL AS TIMESTAMPTZ) AS "_tide_loaded_at", CAST(NULL AS VARCHAR) AS "_tide_load_id", CAST(NULL AS VARCHAR) AS "_tide_source", CAST(NULL AS VARCHAR) AS "parent_id", CAST(NULL AS VARCHAR) AS "se_module", CAST(NULL AS TIMESTAMPTZ) AS "created_time", CAST(NULL AS TIMESTAMPTZ) AS "modified_time" LIMIT 0) as s
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

-- staging/stg_zoho_activities.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_zoho_activities" AS t
USING (
-- Zoho CRM tasks, calls, events and notes. Who_Id names a contact; a lead is linked through What_Id
-- with $se_module = 'Leads' (a note through Parent_Id and $se_module).
with typed as (
  select
    s._tide_source || ':Tasks:' || s._tide_id as record_key, s._tide_source as source_name, 'zoho' as crm,
    'Tasks' as object, s._tide_id as crm_id, 'task' as activity_type,
    coalesce(TRY_CAST(s.due_date AS TIMESTAMPTZ), s.created_time, s._tide_updated_at) as occurred_at,
    case when nullif(trim(s.who_id), '') is not null then s._tide_source || ':Contacts:' || trim(s.who_id)
         when s.se_module = 'Leads' and nullif(trim(s.what_id), '') is not null then s._tide_source || ':Leads:' || trim(s.what_id) end as person_record_key,
    coalesce(s.modified_time, s._tide_updated_at) as updated_at, coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT CAST(NULL AS VARCHAR) AS "_tide_id", CAST(NULL AS TIMESTAMPTZ) AS "_tide_updated_at", CAST(NULL AS BOOLEAN) AS "_tide_deleted", CAST(NULL AS JSON) AS "_tide_record", CAST(NULL AS TIMESTAMPTZ) AS "_tide_loaded_at", CAST(NULL AS VARCHAR) AS "_tide_load_id", CAST(NULL AS VARCHAR) AS "_tide_source", CAST(NULL AS VARCHAR) AS "who_id", CAST(NULL AS VARCHAR) AS "what_id", CAST(NULL AS VARCHAR) AS "se_module", CAST(NULL AS DATE) AS "due_date", CAST(NULL AS TIMESTAMPTZ) AS "created_time", CAST(NULL AS TIMESTAMPTZ) AS "modified_time" LIMIT 0) as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_zoho_activities"), TRUE)
  union all
  select
    s._tide_source || ':Calls:' || s._tide_id, s._tide_source, 'zoho', 'Calls', s._tide_id, 'call',
    coalesce(s.call_start_time, s.created_time, s._tide_updated_at),
    case when nullif(trim(s.who_id), '') is not null then s._tide_source || ':Contacts:' || trim(s.who_id)
         when s.se_module = 'Leads' and nullif(trim(s.what_id), '') is not null then s._tide_source || ':Leads:' || trim(s.what_id) end,
    coalesce(s.modified_time, s._tide_updated_at), coalesce(s._tide_deleted, false), s._tide_loaded_at
  from (SELECT CAST(NULL AS VARCHAR) AS "_tide_id", CAST(NULL AS TIMESTAMPTZ) AS "_tide_updated_at", CAST(NULL AS BOOLEAN) AS "_tide_deleted", CAST(NULL AS JSON) AS "_tide_record", CAST(NULL AS TIMESTAMPTZ) AS "_tide_loaded_at", CAST(NULL AS VARCHAR) AS "_tide_load_id", CAST(NULL AS VARCHAR) AS "_tide_source", CAST(NULL AS VARCHAR) AS "who_id", CAST(NULL AS VARCHAR) AS "what_id", CAST(NULL AS VARCHAR) AS "se_module", CAST(NULL AS TIMESTAMPTZ) AS "call_start_time", CAST(NULL AS TIMESTAMPTZ) AS "created_time", CAST(NULL AS TIMESTAMPTZ) AS "modified_time" LIMIT 0) as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_zoho_activities"), TRUE)
  union all
  select
    s._tide_source || ':Events:' || s._tide_id, s._tide_source, 'zoho', 'Events', s._tide_id, 'event',
    coalesce(s.start_date_time, s.created_time, s._tide_updated_at),
    case when nullif(trim(s.who_id), '') is not null then s._tide_source || ':Contacts:' || trim(s.who_id)
         when s.se_module = 'Leads' and nullif(trim(s.what_id), '') is not null then s._tide_source || ':Leads:' || trim(s.what_id) end,
    coalesce(s.modified_time, s._tide_updated_at), coalesce(s._tide_deleted, false), s._tide_loaded_at
  from (SELECT CAST(NULL AS VARCHAR) AS "_tide_id", CAST(NULL AS TIMESTAMPTZ) AS "_tide_updated_at", CAST(NULL AS BOOLEAN) AS "_tide_deleted", CAST(NULL AS JSON) AS "_tide_record", CAST(NULL AS TIMESTAMPTZ) AS "_tide_loaded_at", CAST(NULL AS VARCHAR) AS "_tide_load_id", CAST(NULL AS VARCHAR) AS "_tide_source", CAST(NULL AS VARCHAR) AS "who_id", CAST(NULL AS VARCHAR) AS "what_id", CAST(NULL AS VARCHAR) AS "se_module", CAST(NULL AS TIMESTAMPTZ) AS "start_date_time", CAST(NULL AS TIMESTAMPTZ) AS "created_time", CAST(NULL AS TIMESTAMPTZ) AS "modified_time" LIMIT 0) as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_zoho_activities"), TRUE)
  union all
  select
    s._tide_source || ':Notes:' || s._tide_id, s._tide_source, 'zoho', 'Notes', s._tide_id, 'note',
    coalesce(s.created_time, s._tide_updated_at),
    case when s.se_module in ('Contacts', 'Leads') and nullif(trim(s.parent_id), '') is not null
         then s._tide_source || ':' || s.se_module || ':' || trim(s.parent_id) end,
    coalesce(s.modified_time, s._tide_updated_at), coalesce(s._tide_deleted, false), s._tide_loaded_at
  from (SELECT CAST(NULL AS VARCHAR) AS "_tide_id", CAST(NULL AS TIMESTAMPTZ) AS "_tide_updated_at", CAST(NULL AS BOOLEAN) AS "_tide_deleted", CAST(NULL AS JSON) AS "_tide_record", CAST(NULL AS TIMESTAMPTZ) AS "_tide_loaded_at", CAST(NULL AS VARCHAR) AS "_tide_load_id", CAST(NULL AS VARCHAR) AS "_tide_source", CAST(NULL AS VARCHAR) AS "parent_id", CAST(NULL AS VARCHAR) AS "se_module", CAST(NULL AS TIMESTAMPTZ) AS "created_time", CAST(NULL AS TIMESTAMPTZ) AS "modified_time" LIMIT 0) as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_zoho_activities"), TRUE)
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
