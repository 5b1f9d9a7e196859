{{ config(materialized='incremental', unique_key='record_key') }}
-- Zoho CRM tasks, calls, events and notes. Who_Id names a contact; a lead is linked through What_Id
-- with $se_module = 'Leads' (a note through Parent_Id and $se_module).
with typed as (
  select
    s._tide_source || ':Tasks:' || s._tide_id as record_key, s._tide_source as source_name, 'zoho' as crm,
    'Tasks' as object, s._tide_id as crm_id, 'task' as activity_type,
    coalesce({{ safe_cast('s.due_date', 'timestamp') }}, s.created_time, s._tide_updated_at) as occurred_at,
    case when nullif(trim(s.who_id), '') is not null then s._tide_source || ':Contacts:' || trim(s.who_id)
         when s.se_module = 'Leads' and nullif(trim(s.what_id), '') is not null then s._tide_source || ':Leads:' || trim(s.what_id) end as person_record_key,
    coalesce(s.modified_time, s._tide_updated_at) as updated_at, coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('zoho', 'Tasks') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
  union all
  select
    s._tide_source || ':Calls:' || s._tide_id, s._tide_source, 'zoho', 'Calls', s._tide_id, 'call',
    coalesce(s.call_start_time, s.created_time, s._tide_updated_at),
    case when nullif(trim(s.who_id), '') is not null then s._tide_source || ':Contacts:' || trim(s.who_id)
         when s.se_module = 'Leads' and nullif(trim(s.what_id), '') is not null then s._tide_source || ':Leads:' || trim(s.what_id) end,
    coalesce(s.modified_time, s._tide_updated_at), coalesce(s._tide_deleted, false), s._tide_loaded_at
  from {{ source('zoho', 'Calls') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
  union all
  select
    s._tide_source || ':Events:' || s._tide_id, s._tide_source, 'zoho', 'Events', s._tide_id, 'event',
    coalesce(s.start_date_time, s.created_time, s._tide_updated_at),
    case when nullif(trim(s.who_id), '') is not null then s._tide_source || ':Contacts:' || trim(s.who_id)
         when s.se_module = 'Leads' and nullif(trim(s.what_id), '') is not null then s._tide_source || ':Leads:' || trim(s.what_id) end,
    coalesce(s.modified_time, s._tide_updated_at), coalesce(s._tide_deleted, false), s._tide_loaded_at
  from {{ source('zoho', 'Events') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
  union all
  select
    s._tide_source || ':Notes:' || s._tide_id, s._tide_source, 'zoho', 'Notes', s._tide_id, 'note',
    coalesce(s.created_time, s._tide_updated_at),
    case when s.se_module in ('Contacts', 'Leads') and nullif(trim(s.parent_id), '') is not null
         then s._tide_source || ':' || s.se_module || ':' || trim(s.parent_id) end,
    coalesce(s.modified_time, s._tide_updated_at), coalesce(s._tide_deleted, false), s._tide_loaded_at
  from {{ source('zoho', 'Notes') }} as s
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
