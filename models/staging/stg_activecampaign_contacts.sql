{{ config(materialized='incremental', unique_key='record_key') }}
-- ActiveCampaign contacts. A contact names no account itself: its company comes from its account
-- link (account_contacts; the smallest account id when it has several), so a contact whose links
-- changed is staged again even when the contact did not. Job title, city and country are custom
-- fields on most accounts (NULL when the account has no field by that name); the link's job title
-- fills a missing one. Identity fields are normalized by person_staging.
with links as (
  select
    l.contact as contact_id,
    min(l.account) as account_id,
    max(nullif(trim(l.job_title), '')) as job_title,
    max(l._tide_loaded_at) as loaded_at
  from {{ source('activecampaign', 'account_contacts') }} as l
  where not coalesce(l._tide_deleted, false)
  group by l.contact
),
relinked as (
  select distinct l.contact as contact_id
  from {{ source('activecampaign', 'account_contacts') }} as l
  where {{ incremental_since('l._tide_loaded_at', 'loaded_at') }}
),
typed as (
  select
    s._tide_source || ':contacts:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'activecampaign' as crm,
    'contacts' as object,
    s._tide_id as crm_id,
    s.email as email_raw,
    s.phone as phone_raw,
    nullif(trim(s.first_name), '') as first_name,
    nullif(trim(s.last_name), '') as last_name,
    coalesce(nullif(trim(s.job_title), ''), k.job_title) as job_title,
    cast(null as {{ sql_type('string') }}) as company_name,
    s._tide_source || ':accounts:' || nullif(trim(k.account_id), '') as company_record_key,
    cast(null as {{ sql_type('string') }}) as website_domain,
    nullif(trim(s.city), '') as city,
    nullif(trim(s.country), '') as country,
    coalesce(s.cdate, s._tide_updated_at) as created_at,
    coalesce(s.udate, s.cdate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    greatest(s._tide_loaded_at, coalesce(k.loaded_at, s._tide_loaded_at)) as loaded_at
  from {{ source('activecampaign', 'contacts') }} as s
  left join links as k on k.contact_id = s._tide_id
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
     or s._tide_id in (select contact_id from relinked)
)
{{ person_staging('typed') }}
