{{ config(materialized='incremental', unique_key='record_key') }}
-- Salesforce contacts. A contact merged away keeps MasterRecordId (the survivor) in the recycle bin.
with src as (
  select s.*
  from {{ source('salesforce', 'Contact') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
),
typed as (
  select
    _tide_source || ':Contact:' || _tide_id as record_key,
    _tide_source as source_name,
    'salesforce' as crm,
    'Contact' as object,
    _tide_id as crm_id,
    email as email_raw,
    {{ normalize_email('email') }} as email,
    coalesce(phone, mobile_phone) as phone_raw,
    {{ phone_digits('coalesce(phone, mobile_phone)') }} as phone_digits,
    nullif(trim(first_name), '') as first_name,
    nullif(trim(last_name), '') as last_name,
    nullif(trim(title), '') as job_title,
    cast(null as {{ sql_type('string') }}) as company_name,
    nullif(trim(account_id), '') as company_crm_id,
    cast(null as {{ sql_type('string') }}) as website_domain,
    nullif(trim(mailing_city), '') as city,
    nullif(trim(mailing_country), '') as country,
    nullif(trim(master_record_id), '') as merged_into_crm_id,
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
  case when company_crm_id is not null then {{ hash_id("source_name || ':Account:' || company_crm_id") }} end as company_record_id,
  {{ company_domain('website_domain', 'email_domain', 'email_valid') }} as company_domain,
  city,
  country,
  merged_into_crm_id,
  created_at,
  updated_at,
  is_deleted,
  loaded_at
from checked
