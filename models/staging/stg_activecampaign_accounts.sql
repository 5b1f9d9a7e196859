{{ config(materialized='incremental', unique_key='record_key') }}
-- ActiveCampaign accounts. Industry, size and revenue are account custom fields (NULL when the account
-- has none by that name); ActiveCampaign keeps currency in cents.
with typed as (
  select
    s._tide_source || ':accounts:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'activecampaign' as crm,
    'accounts' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    {{ url_domain('s.account_url') }} as domain_any,
    nullif(trim(s.industry), '') as industry,
    s.employees,
    s.annual_revenue / 100 as annual_revenue,
    cast(null as {{ sql_type('string') }}) as city,
    cast(null as {{ sql_type('string') }}) as country,
    -- Accounts have no phone field in ActiveCampaign: no company main number to mark as shared.
    cast(null as {{ sql_type('integer') }}) as phone_key,
    coalesce(s.created_timestamp, s._tide_updated_at) as created_at,
    coalesce(s.updated_timestamp, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('activecampaign', 'accounts') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select
  record_key, {{ hash_id('record_key') }} as record_id, source_name, crm, object, crm_id, name,
  {{ work_domain('domain_any') }} as domain,
  {{ company_name_key('name') }} as name_key,
  industry, {{ industry_group('industry') }} as industry_group, employees, annual_revenue, city, country, phone_key,
  created_at, updated_at, is_deleted, loaded_at
from typed
