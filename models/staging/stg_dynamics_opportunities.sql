{{ config(materialized='incremental', unique_key='record_key') }}
-- Dynamics 365 opportunities: statecode is Open (0), Won (1) or Lost (2); the value is the actual
-- value once won, else the estimate; the customer is an account or a contact (customerid is a
-- Customer lookup), parentaccountid / parentcontactid name them directly.
with typed as (
  select
    s._tide_source || ':opportunities:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'opportunities' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    coalesce(s.actualvalue, s.estimatedvalue) as amount,
    nullif(trim(s.stepname), '') as stage,
    case s.statecode when 1 then 'won' when 2 then 'lost' else 'open' end as status,
    coalesce({{ safe_cast('s.actualclosedate', 'timestamp') }}, {{ safe_cast('s.estimatedclosedate', 'timestamp') }}) as close_date,
    lower(coalesce(nullif(trim(s.parentcontactid), ''), case when s.customerid_type = 'contact' then nullif(trim(s.customerid), '') end)) as contact_crm_id,
    s._tide_source || ':accounts:' || lower(coalesce(nullif(trim(s.parentaccountid), ''), case when s.customerid_type = 'account' then nullif(trim(s.customerid), '') end)) as company_record_key,
    coalesce(s.createdon, s._tide_updated_at) as created_at,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('dynamics', 'opportunities') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select
  typed.*,
  {{ hash_id('record_key') }} as record_id,
  {{ hash_id('company_record_key') }} as company_record_id,
  case when contact_crm_id is not null then {{ hash_id("source_name || ':contacts:' || contact_crm_id") }} end as person_record_id
from typed
