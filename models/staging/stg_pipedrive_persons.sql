{{ config(materialized='incremental', unique_key='record_key') }}
-- Pipedrive persons. Emails and phones are lists: the primary one (else the first) is the person's.
-- Pipedrive has no first/last name on every account plan: they are split from `name` when missing.
with src as (
  select s.*,
    coalesce(s.primary_email, {{ json_text('s.emails', 0, 'value') }}) as email_value,
    coalesce(s.primary_phone, {{ json_text('s.phones', 0, 'value') }}) as phone_value
  from {{ source('pipedrive', 'persons') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
),
typed as (
  select
    _tide_source || ':persons:' || _tide_id as record_key,
    _tide_source as source_name,
    'pipedrive' as crm,
    'persons' as object,
    _tide_id as crm_id,
    email_value as email_raw,
    {{ normalize_email('email_value') }} as email,
    phone_value as phone_raw,
    {{ phone_digits('phone_value') }} as phone_digits,
    coalesce(nullif(trim(first_name), ''), nullif({{ split_part('trim(name)', ' ', 1) }}, '')) as first_name,
    coalesce(nullif(trim(last_name), ''), nullif(trim(substr(trim(name), length({{ split_part('trim(name)', ' ', 1) }}) + 1)), '')) as last_name,
    nullif(trim(job_title), '') as job_title,
    cast(null as {{ sql_type('string') }}) as company_name,
    nullif(trim(org_id), '') as company_crm_id,
    cast(null as {{ sql_type('string') }}) as website_domain,
    cast(null as {{ sql_type('string') }}) as city,
    cast(null as {{ sql_type('string') }}) as country,
    coalesce(add_time, _tide_updated_at) as created_at,
    coalesce(update_time, _tide_updated_at) as updated_at,
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
  case when company_crm_id is not null then {{ hash_id("source_name || ':organizations:' || company_crm_id") }} end as company_record_id,
  {{ company_domain('website_domain', 'email_domain', 'email_valid') }} as company_domain,
  city,
  country,
  created_at,
  updated_at,
  is_deleted,
  loaded_at
from checked
