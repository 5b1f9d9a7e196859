{{ config(materialized='incremental', unique_key='record_key') }}
-- Salesforce contacts. A contact merged away keeps MasterRecordId (the survivor) in the recycle bin.
-- Identity fields are normalized by person_staging, as for every CRM's people.
with typed as (
  select
    _tide_source || ':Contact:' || _tide_id as record_key,
    _tide_source as source_name,
    'salesforce' as crm,
    'Contact' as object,
    _tide_id as crm_id,
    email as email_raw,
    coalesce(phone, mobile_phone) as phone_raw,
    nullif(trim(first_name), '') as first_name,
    nullif(trim(last_name), '') as last_name,
    nullif(trim(title), '') as job_title,
    cast(null as {{ sql_type('string') }}) as company_name,
    _tide_source || ':Account:' || nullif(trim(account_id), '') as company_record_key,
    cast(null as {{ sql_type('string') }}) as website_domain,
    nullif(trim(mailing_city), '') as city,
    nullif(trim(mailing_country), '') as country,
    _tide_source || ':Contact:' || nullif(trim(master_record_id), '') as merged_into_key,
    coalesce(created_date, _tide_updated_at) as created_at,
    coalesce(system_modstamp, _tide_updated_at) as updated_at,
    coalesce(_tide_deleted, false) as is_deleted,
    _tide_loaded_at as loaded_at
  from {{ source('salesforce', 'Contact') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
{{ person_staging('typed', merged_into_key='merged_into_key') }}
