{{ config(materialized='incremental', unique_key='record_key') }}
-- The company a HubSpot contact is associated with (the first of its associations), for contacts
-- whose own record names no company.
with typed as (
  select
    s._tide_source || ':contacts:' || s._tide_id as record_key,
    s._tide_source as source_name,
    {{ json_text('s.company_ids', 0) }} as company_crm_id,
    s._tide_loaded_at as loaded_at
  from {{ source('hubspot', 'contact_companies') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select
  record_key,
  {{ hash_id('record_key') }} as record_id,
  case when company_crm_id is not null then {{ hash_id("source_name || ':companies:' || company_crm_id") }} end as company_record_id,
  loaded_at
from typed
