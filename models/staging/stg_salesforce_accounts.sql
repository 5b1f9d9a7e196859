{{ config(materialized='incremental', unique_key='record_key') }}
-- Salesforce accounts: the companies of Salesforce contacts and opportunities.
with typed as (
  select
    s._tide_source || ':Account:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'salesforce' as crm,
    'Account' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    {{ url_domain('s.website') }} as domain_any,
    nullif(trim(s.industry), '') as industry,
    s.number_of_employees as employees,
    s.annual_revenue,
    nullif(trim(s.billing_city), '') as city,
    nullif(trim(s.billing_country), '') as country,
    {{ phone_match_key('s.phone', 's.billing_country') }} as phone_key,
    coalesce(s.created_date, s._tide_updated_at) as created_at,
    coalesce(s.system_modstamp, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('salesforce', 'Account') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select
  record_key, {{ hash_id('record_key') }} as record_id, source_name, crm, object, crm_id, name,
  {{ work_domain('domain_any') }} as domain,
  {{ company_name_key('name') }} as name_key,
  industry, {{ industry_group('industry') }} as industry_group, employees, annual_revenue, city, country, phone_key,
  created_at, updated_at, is_deleted, loaded_at
from typed
