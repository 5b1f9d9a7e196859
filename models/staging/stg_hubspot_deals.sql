{{ config(materialized='incremental', unique_key='record_key') }}
-- HubSpot deals. Status from hs_is_closed(_won) when HubSpot computed it, else from the stage id.
with typed as (
  select
    s._tide_source || ':deals:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'hubspot' as crm,
    'deals' as object,
    s._tide_id as crm_id,
    nullif(trim(s.dealname), '') as name,
    s.amount,
    s.dealstage as stage,
    case
      when s.hs_is_closed_won or s.dealstage = 'closedwon' then 'won'
      when s.hs_is_closed or s.dealstage = 'closedlost' then 'lost'
      else 'open'
    end as status,
    s.closedate as close_date,
    s.associated_contact_ids as contact_crm_ids,
    s._tide_source || ':companies:' || {{ json_text('s.associated_company_ids', 0) }} as company_record_key,
    coalesce(s.createdate, s._tide_updated_at) as created_at,
    coalesce(s.hs_lastmodifieddate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('hubspot', 'deals') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select
  typed.*,
  {{ hash_id('record_key') }} as record_id,
  {{ hash_id('company_record_key') }} as company_record_id
from typed
