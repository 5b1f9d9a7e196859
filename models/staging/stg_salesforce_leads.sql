{{ config(materialized='incremental', unique_key='record_key') }}
-- Salesforce leads. A converted lead names the contact it became (ConvertedContactId): it follows that
-- contact in identity resolution.
with src as (
  select s.*
  from {{ source('salesforce', 'Lead') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
),
typed as (
  select
    _tide_source || ':Lead:' || _tide_id as record_key,
    _tide_source as source_name,
    'salesforce' as crm,
    'Lead' as object,
    _tide_id as crm_id,
    email as email_raw,
    {{ normalize_email('email') }} as email,
    coalesce(phone, mobile_phone) as phone_raw,
    {{ phone_digits('coalesce(phone, mobile_phone)') }} as phone_digits,
    nullif(trim(first_name), '') as first_name,
    nullif(trim(last_name), '') as last_name,
    nullif(trim(title), '') as job_title,
    nullif(trim(company), '') as company_name,
    cast(null as {{ sql_type('string') }}) as company_crm_id,
    {{ url_domain('website') }} as website_domain,
    nullif(trim(city), '') as city,
    nullif(trim(country), '') as country,
    case when coalesce(is_converted, false) and nullif(trim(converted_contact_id), '') is not null then null else nullif(trim(master_record_id), '') end as merged_into_crm_id,
    case when coalesce(is_converted, false) then nullif(trim(converted_contact_id), '') end as converted_contact_id,
    nullif(trim(status), '') as lead_status,
    coalesce(created_date, _tide_updated_at) as created_at,
    coalesce(system_modstamp, _tide_updated_at) as updated_at,
    coalesce(_tide_deleted, false) as is_deleted,
    _tide_loaded_at as loaded_at
  from src
),
checked as (
  select
    typed.*,
    {{ hash_id('record_key') }} as record_id,
    {{ email_is_valid('email') }} as email_valid,
    {{ email_domain('email') }} as email_domain,
    {{ calling_code('country') }} as calling_code
  from typed
)
select
  record_key,
  record_id,
  source_name,
  crm,
  object,
  crm_id,
  coalesce(trim(email_raw) <> '', false) as email_present,
  email,
  email_valid,
  {{ is_role_inbox('email') }} as email_is_role,
  {{ normalize_phone('phone_raw', 'phone_digits', 'calling_code') }} as phone,
  -- Match keys as integers (hash_id): grouping millions of them is far cheaper than grouping text.
  case when email_valid and not {{ is_role_inbox('email') }} then {{ hash_id('email') }} end as email_key,
  first_name,
  last_name,
  {{ name_key('first_name', 'last_name') }} as name_key,
  job_title,
  company_name,
  {{ company_name_key('company_name') }} as company_name_key,
  cast(null as {{ sql_type('integer') }}) as company_record_id,
  {{ company_domain('website_domain', 'email_domain', 'email_valid') }} as company_domain,
  city,
  country,
  merged_into_crm_id,
  converted_contact_id,
  lead_status,
  created_at,
  updated_at,
  is_deleted,
  loaded_at
from checked
