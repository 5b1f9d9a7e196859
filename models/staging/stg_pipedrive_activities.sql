{{ config(materialized='incremental', unique_key='record_key') }}
-- Pipedrive activities: when (done time, else due date) and with which person.
with typed as (
  select
    s._tide_source || ':activities:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'pipedrive' as crm,
    'activities' as object,
    s._tide_id as crm_id,
    coalesce(nullif(trim(s.type), ''), 'activity') as activity_type,
    coalesce(s.marked_as_done_time, {{ safe_cast('s.due_date', 'timestamp') }}, s.add_time, s._tide_updated_at) as occurred_at,
    case when nullif(trim(s.person_id), '') is not null then s._tide_source || ':persons:' || trim(s.person_id) end as person_record_key,
    coalesce(s.update_time, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('pipedrive', 'activities') }} as s
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
