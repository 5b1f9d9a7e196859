{{ config(materialized='incremental', unique_key='record_key') }}
-- Pipedrive deals: status is open, won, lost or deleted (deleted deals count as deleted records).
with typed as (
  select
    s._tide_source || ':deals:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'pipedrive' as crm,
    'deals' as object,
    s._tide_id as crm_id,
    nullif(trim(s.title), '') as name,
    s.value as amount,
    s.stage_id as stage,
    case lower(s.status) when 'won' then 'won' when 'lost' then 'lost' else 'open' end as status,
    coalesce(s.close_time, {{ safe_cast('s.expected_close_date', 'timestamp') }}) as close_date,
    nullif(trim(s.person_id), '') as contact_crm_id,
    s._tide_source || ':organizations:' || nullif(trim(s.org_id), '') as company_record_key,
    coalesce(s.add_time, s._tide_updated_at) as created_at,
    coalesce(s.update_time, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) or coalesce(lower(s.status) = 'deleted', false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('pipedrive', 'deals') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select
  typed.*,
  {{ hash_id('record_key') }} as record_id,
  {{ hash_id('company_record_key') }} as company_record_id,
  case when contact_crm_id is not null then {{ hash_id("source_name || ':persons:' || contact_crm_id") }} end as person_record_id
from typed
