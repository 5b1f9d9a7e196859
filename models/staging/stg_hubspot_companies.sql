{{ config(materialized='incremental', unique_key='record_key') }}
-- HubSpot companies. The domain property is preferred; the website is the fallback.
with src as (
  select *
  from {{ source('hubspot', 'companies') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
),
typed as (
  select
    _tide_source || ':companies:' || _tide_id as record_key,
    _tide_source as source_name,
    'hubspot' as crm,
    'companies' as object,
    _tide_id as crm_id,
    nullif(trim(name), '') as name,
    coalesce({{ url_domain('domain') }}, {{ url_domain('website') }}) as domain_any,
    nullif(trim(industry), '') as industry,
    numberofemployees as employees,
    annualrevenue as annual_revenue,
    nullif(trim(city), '') as city,
    nullif(trim(country), '') as country,
    {{ phone_match_key('phone', 'country') }} as phone_key,
    coalesce(createdate, _tide_updated_at) as created_at,
    coalesce(hs_lastmodifieddate, _tide_updated_at) as updated_at,
    coalesce(_tide_deleted, false) as is_deleted,
    _tide_loaded_at as loaded_at
  from src
)
select
  record_key, {{ hash_id('record_key') }} as record_id, source_name, crm, object, crm_id, name,
  {{ work_domain('domain_any') }} as domain,
  {{ company_name_key('name') }} as name_key,
  industry, {{ industry_group('industry') }} as industry_group, employees, annual_revenue, city, country, phone_key,
  created_at, updated_at, is_deleted, loaded_at
from typed
