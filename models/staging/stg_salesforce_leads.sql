{{ config(materialized='incremental', unique_key='record_key') }}
-- Salesforce leads. A converted lead names the contact it became (ConvertedContactId), a merged one its
-- survivor (MasterRecordId): it follows that record in identity resolution (merged_into_key). A lead
-- has no account. Identity fields are normalized by person_staging.
with typed as (
  select
    _tide_source || ':Lead:' || _tide_id as record_key,
    _tide_source as source_name,
    'salesforce' as crm,
    'Lead' as object,
    _tide_id as crm_id,
    email as email_raw,
    coalesce(phone, mobile_phone) as phone_raw,
    nullif(trim(first_name), '') as first_name,
    nullif(trim(last_name), '') as last_name,
    nullif(trim(title), '') as job_title,
    nullif(trim(company), '') as company_name,
    cast(null as {{ sql_type('string') }}) as company_record_key,
    {{ url_domain('website') }} as website_domain,
    nullif(trim(city), '') as city,
    nullif(trim(country), '') as country,
    case
      when coalesce(is_converted, false) and nullif(trim(converted_contact_id), '') is not null
        then _tide_source || ':Contact:' || trim(converted_contact_id)
      else _tide_source || ':Lead:' || nullif(trim(master_record_id), '')
    end as merged_into_key,
    nullif(trim(status), '') as lead_status,
    coalesce(created_date, _tide_updated_at) as created_at,
    coalesce(system_modstamp, _tide_updated_at) as updated_at,
    coalesce(_tide_deleted, false) as is_deleted,
    _tide_loaded_at as loaded_at
  from {{ source('salesforce', 'Lead') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
{{ person_staging('typed', ['lead_status'], merged_into_key='merged_into_key') }}
