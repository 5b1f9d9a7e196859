{{ config(materialized='incremental', unique_key='record_key') }}
-- Dynamics 365 accounts: the companies of contacts and opportunities (industry is a choice column:
-- its label, not its number).
with typed as (
  select
    s._tide_source || ':accounts:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'accounts' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    {{ url_domain('s.websiteurl') }} as domain_any,
    nullif(trim(s.industrycode_label), '') as industry,
    s.numberofemployees as employees,
    s.revenue as annual_revenue,
    nullif(trim(s.address1_city), '') as city,
    nullif(trim(s.address1_country), '') as country,
    {{ phone_match_key('s.telephone1', 's.address1_country') }} as phone_key,
    coalesce(s.createdon, s._tide_updated_at) as created_at,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('dynamics', 'accounts') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select
  record_key, {{ hash_id('record_key') }} as record_id, source_name, crm, object, crm_id, name,
  {{ work_domain('domain_any') }} as domain,
  {{ company_name_key('name') }} as name_key,
  industry, {{ industry_group('industry') }} as industry_group, employees, annual_revenue, city, country, phone_key,
  created_at, updated_at, is_deleted, loaded_at
from typed
