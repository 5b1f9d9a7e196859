{{ config(materialized='incremental', unique_key='record_key') }}
-- Zoho CRM leads: people not yet converted, with their company by name and website. Identity fields
-- are normalized by person_staging.
with typed as (
  select
    _tide_source || ':Leads:' || _tide_id as record_key,
    _tide_source as source_name,
    'zoho' as crm,
    'Leads' as object,
    _tide_id as crm_id,
    email as email_raw,
    coalesce(phone, mobile) as phone_raw,
    nullif(trim(first_name), '') as first_name,
    nullif(trim(last_name), '') as last_name,
    nullif(trim(designation), '') as job_title,
    nullif(trim(company), '') as company_name,
    cast(null as {{ sql_type('string') }}) as company_record_key,
    {{ url_domain('website') }} as website_domain,
    nullif(trim(city), '') as city,
    nullif(trim(country), '') as country,
    nullif(trim(lead_status), '') as lead_status,
    coalesce(created_time, _tide_updated_at) as created_at,
    coalesce(modified_time, _tide_updated_at) as updated_at,
    coalesce(_tide_deleted, false) as is_deleted,
    _tide_loaded_at as loaded_at
  from {{ source('zoho', 'Leads') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
{{ person_staging('typed', ['lead_status']) }}
