{{ config(materialized='incremental', unique_key='record_key') }}
-- Zoho CRM deals: amount, stage (Closed Won / Closed Lost close them), the account and the contact.
with typed as (
  select
    s._tide_source || ':Deals:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'zoho' as crm,
    'Deals' as object,
    s._tide_id as crm_id,
    nullif(trim(s.deal_name), '') as name,
    s.amount,
    s.stage,
    case
      when s.stage = 'Closed Won' then 'won'
      when s.stage like 'Closed%' then 'lost'
      else 'open'
    end as status,
    {{ safe_cast('s.closing_date', 'timestamp') }} as close_date,
    nullif(trim(s.contact_name), '') as contact_crm_id,
    s._tide_source || ':Accounts:' || nullif(trim(s.account_name), '') as company_record_key,
    coalesce(s.created_time, s._tide_updated_at) as created_at,
    coalesce(s.modified_time, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('zoho', 'Deals') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select
  typed.*,
  {{ hash_id('record_key') }} as record_id,
  {{ hash_id('company_record_key') }} as company_record_id,
  case when contact_crm_id is not null then {{ hash_id("source_name || ':Contacts:' || contact_crm_id") }} end as person_record_id
from typed
