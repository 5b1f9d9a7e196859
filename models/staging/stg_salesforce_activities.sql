{{ config(materialized='incremental', unique_key='record_key') }}
-- Salesforce tasks and events. WhoId names a contact (003…) or a lead (00Q…).
with typed as (
  select
    s._tide_source || ':Task:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'salesforce' as crm,
    'Task' as object,
    s._tide_id as crm_id,
    'task' as activity_type,
    coalesce({{ safe_cast('s.activity_date', 'timestamp') }}, s.created_date, s._tide_updated_at) as occurred_at,
    case when s.who_id like '00Q%' then s._tide_source || ':Lead:' || s.who_id
         when s.who_id is not null then s._tide_source || ':Contact:' || s.who_id end as person_record_key,
    coalesce(s.system_modstamp, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('salesforce', 'Task') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
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
  from {{ source('salesforce', 'Event') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select
  record_key,
  {{ hash_id('record_key') }} as record_id,
  source_name,
  crm,
  object,
  crm_id,
  activity_type,
  occurred_at,
  {{ hash_id('person_record_key') }} as person_record_id,
  updated_at,
  is_deleted,
  loaded_at
from typed
