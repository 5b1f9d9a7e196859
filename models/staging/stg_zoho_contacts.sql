{{ config(materialized='incremental', unique_key='record_key') }}
-- Zoho CRM contacts. Account_Name is a lookup: the raw column holds the account's id. Identity fields
-- are normalized by person_staging, as for every CRM's people.
with typed as (
  select
    _tide_source || ':Contacts:' || _tide_id as record_key,
    _tide_source as source_name,
    'zoho' as crm,
    'Contacts' as object,
    _tide_id as crm_id,
    email as email_raw,
    coalesce(phone, mobile) as phone_raw,
    nullif(trim(first_name), '') as first_name,
    nullif(trim(last_name), '') as last_name,
    nullif(trim(title), '') as job_title,
    cast(null as {{ sql_type('string') }}) as company_name,
    _tide_source || ':Accounts:' || nullif(trim(account_name), '') as company_record_key,
    cast(null as {{ sql_type('string') }}) as website_domain,
    nullif(trim(mailing_city), '') as city,
    nullif(trim(mailing_country), '') as country,
    coalesce(created_time, _tide_updated_at) as created_at,
    coalesce(modified_time, _tide_updated_at) as updated_at,
    coalesce(_tide_deleted, false) as is_deleted,
    _tide_loaded_at as loaded_at
  from {{ source('zoho', 'Contacts') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
{{ person_staging('typed') }}
