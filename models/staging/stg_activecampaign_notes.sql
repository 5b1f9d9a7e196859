{{ config(materialized='incremental', unique_key='record_key') }}
-- ActiveCampaign notes on contacts (reltype Subscriber, ActiveCampaign's own name for a contact) are
-- the activities that count for engagement; notes on deals and accounts have no person.
with typed as (
  select
    s._tide_source || ':notes:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'activecampaign' as crm,
    'notes' as object,
    s._tide_id as crm_id,
    'note' as activity_type,
    coalesce(s.cdate, s._tide_updated_at) as occurred_at,
    case when s.reltype = 'Subscriber' and nullif(trim(s.relid), '') is not null then s._tide_source || ':contacts:' || trim(s.relid) end as person_record_key,
    coalesce(s.mdate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('activecampaign', 'notes') }} as s
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
