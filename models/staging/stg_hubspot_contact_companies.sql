{{ config(materialized='incremental', unique_key='record_key') }}
-- The company a HubSpot contact is associated with (the first of its associations), for contacts
-- whose own record names no company.
select
  s._tide_source || ':contacts:' || s._tide_id as record_key,
  s._tide_source as source_name,
  s._tide_id as contact_crm_id,
  {{ json_text('s.company_ids', 0) }} as company_crm_id,
  s._tide_loaded_at as loaded_at
from {{ source('hubspot', 'contact_companies') }} as s
where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
