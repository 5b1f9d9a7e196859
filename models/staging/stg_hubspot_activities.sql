{{ config(materialized='incremental', unique_key='record_key') }}
-- HubSpot engagements (calls, emails, meetings, notes, tasks) in one shape: when, and which contacts.
-- The five streams are declared with the same columns in models/sources.json, so they union as they
-- are; each one only adds its stream name and activity type.
with engagements as (
  select 'calls' as object, 'call' as activity_type, s.* from {{ source('hubspot', 'calls') }} as s union all
  select 'emails', 'email', s.* from {{ source('hubspot', 'emails') }} as s union all
  select 'meetings', 'meeting', s.* from {{ source('hubspot', 'meetings') }} as s union all
  select 'notes', 'note', s.* from {{ source('hubspot', 'notes') }} as s union all
  select 'tasks', 'task', s.* from {{ source('hubspot', 'tasks') }} as s
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
  where {{ incremental_since('e._tide_loaded_at', 'loaded_at') }}
)
select typed.*, {{ hash_id('record_key') }} as record_id
from typed
