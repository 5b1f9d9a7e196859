{{ config(materialized='incremental', unique_key='record_key') }}
-- Pipedrive organizations (website, industry and size are custom fields on most accounts: NULL when absent).
with typed as (
  select
    s._tide_source || ':organizations:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'pipedrive' as crm,
    'organizations' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    {{ url_domain('s.website') }} as domain_any,
    nullif(trim(s.industry), '') as industry,
    s.employee_count as employees,
    s.annual_revenue,
    nullif(trim(s.address_locality), '') as city,
    nullif(trim(s.address_country), '') as country,
    coalesce(s.add_time, s._tide_updated_at) as created_at,
    coalesce(s.update_time, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('pipedrive', 'organizations') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select
  record_key, {{ hash_id('record_key') }} as record_id, source_name, crm, object, crm_id, name,
  {{ work_domain('domain_any') }} as domain,
  {{ company_name_key('name') }} as name_key,
  industry, {{ industry_group('industry') }} as industry_group, employees, annual_revenue, city, country,
  -- Organizations have no phone field in Pipedrive.
  cast(null as {{ sql_type('integer') }}) as phone_key,
  created_at, updated_at, is_deleted, loaded_at
from typed
