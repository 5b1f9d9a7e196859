{{ config(materialized='incremental', unique_key='record_key') }}
-- HubSpot engagements (calls, emails, meetings, notes, tasks) in one shape: when, and which contacts.
with typed as (
  select
    s._tide_source || ':calls:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'hubspot' as crm,
    'calls' as object,
    s._tide_id as crm_id,
    'call' as activity_type,
    coalesce(s.hs_timestamp, s._tide_updated_at) as occurred_at,
    s.associated_contact_ids as contact_crm_ids,
    coalesce(s.hs_lastmodifieddate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('hubspot', 'calls') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
  union all
  select
    s._tide_source || ':emails:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'hubspot' as crm,
    'emails' as object,
    s._tide_id as crm_id,
    'email' as activity_type,
    coalesce(s.hs_timestamp, s._tide_updated_at) as occurred_at,
    s.associated_contact_ids as contact_crm_ids,
    coalesce(s.hs_lastmodifieddate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('hubspot', 'emails') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
  union all
  select
    s._tide_source || ':meetings:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'hubspot' as crm,
    'meetings' as object,
    s._tide_id as crm_id,
    'meeting' as activity_type,
    coalesce(s.hs_timestamp, s._tide_updated_at) as occurred_at,
    s.associated_contact_ids as contact_crm_ids,
    coalesce(s.hs_lastmodifieddate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('hubspot', 'meetings') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
  union all
  select
    s._tide_source || ':notes:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'hubspot' as crm,
    'notes' as object,
    s._tide_id as crm_id,
    'note' as activity_type,
    coalesce(s.hs_timestamp, s._tide_updated_at) as occurred_at,
    s.associated_contact_ids as contact_crm_ids,
    coalesce(s.hs_lastmodifieddate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('hubspot', 'notes') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
  union all
  select
    s._tide_source || ':tasks:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'hubspot' as crm,
    'tasks' as object,
    s._tide_id as crm_id,
    'task' as activity_type,
    coalesce(s.hs_timestamp, s._tide_updated_at) as occurred_at,
    s.associated_contact_ids as contact_crm_ids,
    coalesce(s.hs_lastmodifieddate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('hubspot', 'tasks') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select typed.*, {{ hash_id('record_key') }} as record_id
from typed
