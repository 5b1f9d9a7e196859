{{ config(materialized='incremental', unique_key='record_key') }}
-- One row per HubSpot contact, archived ones included (flagged is_deleted): merge losers are archived
-- and must still be found by their id. Identity fields are normalized here, once per changed record,
-- for every later model: this is the incremental part of identity resolution. record_id and
-- company_record_id (hash_id of the record keys) are what every later join uses.
with src as (
  select s.*
  from {{ source('hubspot', 'contacts') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
),
typed as (
  select
    _tide_source || ':contacts:' || _tide_id as record_key,
    _tide_source as source_name,
    'hubspot' as crm,
    'contacts' as object,
    _tide_id as crm_id,
    email as email_raw,
    {{ normalize_email('email') }} as email,
    coalesce(phone, mobilephone) as phone_raw,
    {{ phone_digits('coalesce(phone, mobilephone)') }} as phone_digits,
    nullif(trim(firstname), '') as first_name,
    nullif(trim(lastname), '') as last_name,
    nullif(trim(jobtitle), '') as job_title,
    nullif(trim(company), '') as company_name,
    nullif(trim(associatedcompanyid), '') as company_crm_id,
    {{ url_domain('website') }} as website_domain,
    nullif(trim(city), '') as city,
    nullif(trim(country), '') as country,
    nullif(trim(hs_merged_object_ids), '') as merged_ids,
    coalesce(createdate, _tide_updated_at) as created_at,
    coalesce(lastmodifieddate, _tide_updated_at) as updated_at,
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
  case when company_crm_id is not null then {{ hash_id("source_name || ':companies:' || company_crm_id") }} end as company_record_id,
  {{ company_domain('website_domain', 'email_domain', 'email_valid') }} as company_domain,
  city,
  country,
  merged_ids,
  created_at,
  updated_at,
  is_deleted,
  loaded_at
from checked
