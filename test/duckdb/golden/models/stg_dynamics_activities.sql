-- staging/stg_dynamics_activities.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_dynamics_activities" AS
-- Dynamics 365 phone calls, emails, tasks and appointments (activities). Their regardingobjectid
-- names the row they are about: a contact or a lead counts for that person (accounts and
-- opportunities count through the company and the deal instead).
with typed as (
  select
    s._tide_source || ':phonecalls:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'phonecalls' as object,
    s._tide_id as crm_id,
    'call' as activity_type,
    coalesce(s.actualend, s.scheduledstart, s.createdon, s._tide_updated_at) as occurred_at,
    case s.regardingobjectid_type
      when 'contact' then s._tide_source || ':contacts:' || lower(s.regardingobjectid)
      when 'lead' then s._tide_source || ':leads:' || lower(s.regardingobjectid)
    end as person_record_key,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "regardingobjectid" AS "regardingobjectid", "regardingobjectid_type" AS "regardingobjectid_type", "scheduledstart" AS "scheduledstart", "actualend" AS "actualend", "statecode" AS "statecode", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__phonecalls") as s
  where TRUE
  union all
  select
    s._tide_source || ':emails:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'emails' as object,
    s._tide_id as crm_id,
    'email' as activity_type,
    coalesce(s.actualend, s.scheduledstart, s.createdon, s._tide_updated_at) as occurred_at,
    case s.regardingobjectid_type
      when 'contact' then s._tide_source || ':contacts:' || lower(s.regardingobjectid)
      when 'lead' then s._tide_source || ':leads:' || lower(s.regardingobjectid)
    end as person_record_key,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "regardingobjectid" AS "regardingobjectid", "regardingobjectid_type" AS "regardingobjectid_type", "scheduledstart" AS "scheduledstart", "actualend" AS "actualend", "statecode" AS "statecode", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__emails") as s
  where TRUE
  union all
  select
    s._tide_source || ':tasks:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'tasks' as object,
    s._tide_id as crm_id,
    'task' as activity_type,
    coalesce(s.actualend, s.scheduledstart, s.createdon, s._tide_updated_at) as occurred_at,
    case s.regardingobjectid_type
      when 'contact' then s._tide_source || ':contacts:' || lower(s.regardingobjectid)
      when 'lead' then s._tide_source || ':leads:' || lower(s.regardingobjectid)
    end as person_record_key,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "regardingobjectid" AS "regardingobjectid", "regardingobjectid_type" AS "regardingobjectid_type", "scheduledstart" AS "scheduledstart", "actualend" AS "actualend", "statecode" AS "statecode", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__tasks") as s
  where TRUE
  union all
  select
    s._tide_source || ':appointments:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'appointments' as object,
    s._tide_id as crm_id,
    'meeting' as activity_type,
    coalesce(s.actualend, s.scheduledstart, s.createdon, s._tide_updated_at) as occurred_at,
    case s.regardingobjectid_type
      when 'contact' then s._tide_source || ':contacts:' || lower(s.regardingobjectid)
      when 'lead' then s._tide_source || ':leads:' || lower(s.regardingobjectid)
    end as person_record_key,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "regardingobjectid" AS "regardingobjectid", "regardingobjectid_type" AS "regardingobjectid_type", "scheduledstart" AS "scheduledstart", "actualend" AS "actualend", "statecode" AS "statecode", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__appointments") as s
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

-- staging/stg_dynamics_activities.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_dynamics_activities" AS t
USING (
-- Dynamics 365 phone calls, emails, tasks and appointments (activities). Their regardingobjectid
-- names the row they are about: a contact or a lead counts for that person (accounts and
-- opportunities count through the company and the deal instead).
with typed as (
  select
    s._tide_source || ':phonecalls:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'phonecalls' as object,
    s._tide_id as crm_id,
    'call' as activity_type,
    coalesce(s.actualend, s.scheduledstart, s.createdon, s._tide_updated_at) as occurred_at,
    case s.regardingobjectid_type
      when 'contact' then s._tide_source || ':contacts:' || lower(s.regardingobjectid)
      when 'lead' then s._tide_source || ':leads:' || lower(s.regardingobjectid)
    end as person_record_key,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "regardingobjectid" AS "regardingobjectid", "regardingobjectid_type" AS "regardingobjectid_type", "scheduledstart" AS "scheduledstart", "actualend" AS "actualend", "statecode" AS "statecode", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__phonecalls") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_dynamics_activities"), TRUE)
  union all
  select
    s._tide_source || ':emails:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'emails' as object,
    s._tide_id as crm_id,
    'email' as activity_type,
    coalesce(s.actualend, s.scheduledstart, s.createdon, s._tide_updated_at) as occurred_at,
    case s.regardingobjectid_type
      when 'contact' then s._tide_source || ':contacts:' || lower(s.regardingobjectid)
      when 'lead' then s._tide_source || ':leads:' || lower(s.regardingobjectid)
    end as person_record_key,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "regardingobjectid" AS "regardingobjectid", "regardingobjectid_type" AS "regardingobjectid_type", "scheduledstart" AS "scheduledstart", "actualend" AS "actualend", "statecode" AS "statecode", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__emails") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_dynamics_activities"), TRUE)
  union all
  select
    s._tide_source || ':tasks:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'tasks' as object,
    s._tide_id as crm_id,
    'task' as activity_type,
    coalesce(s.actualend, s.scheduledstart, s.createdon, s._tide_updated_at) as occurred_at,
    case s.regardingobjectid_type
      when 'contact' then s._tide_source || ':contacts:' || lower(s.regardingobjectid)
      when 'lead' then s._tide_source || ':leads:' || lower(s.regardingobjectid)
    end as person_record_key,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "regardingobjectid" AS "regardingobjectid", "regardingobjectid_type" AS "regardingobjectid_type", "scheduledstart" AS "scheduledstart", "actualend" AS "actualend", "statecode" AS "statecode", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__tasks") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_dynamics_activities"), TRUE)
  union all
  select
    s._tide_source || ':appointments:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'appointments' as object,
    s._tide_id as crm_id,
    'meeting' as activity_type,
    coalesce(s.actualend, s.scheduledstart, s.createdon, s._tide_updated_at) as occurred_at,
    case s.regardingobjectid_type
      when 'contact' then s._tide_source || ':contacts:' || lower(s.regardingobjectid)
      when 'lead' then s._tide_source || ':leads:' || lower(s.regardingobjectid)
    end as person_record_key,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "regardingobjectid" AS "regardingobjectid", "regardingobjectid_type" AS "regardingobjectid_type", "scheduledstart" AS "scheduledstart", "actualend" AS "actualend", "statecode" AS "statecode", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__appointments") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_dynamics_activities"), TRUE)
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
