{{ config(materialized='incremental', unique_key='record_key') }}
-- Salesforce opportunities: amount, open/won/lost, the account and the contact they were opened for.
with typed as (
  select
    s._tide_source || ':Opportunity:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'salesforce' as crm,
    'Opportunity' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    s.amount,
    s.stage_name as stage,
    case
      when s.is_won or s.stage_name = 'Closed Won' then 'won'
      when s.is_closed or s.stage_name = 'Closed Lost' then 'lost'
      else 'open'
    end as status,
    {{ safe_cast('s.close_date', 'timestamp') }} as close_date,
    nullif(trim(s.contact_id), '') as contact_crm_id,
    s._tide_source || ':Account:' || nullif(trim(s.account_id), '') as company_record_key,
    coalesce(s.created_date, s._tide_updated_at) as created_at,
    coalesce(s.system_modstamp, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('salesforce', 'Opportunity') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select
  typed.*,
  {{ hash_id('record_key') }} as record_id,
  {{ hash_id('company_record_key') }} as company_record_id,
  case when contact_crm_id is not null then {{ hash_id("source_name || ':Contact:' || contact_crm_id") }} end as person_record_id
from typed
