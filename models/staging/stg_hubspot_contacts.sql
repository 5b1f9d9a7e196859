{{ config(materialized='incremental', unique_key='record_key') }}
-- One row per HubSpot contact, archived ones included (flagged is_deleted). A merge creates a new
-- contact whose hs_merged_object_ids lists the ids it replaced; those contacts are no longer listed
-- anywhere (reads of their ids return the new one), so their rows here stay as they were last seen and
-- follow the new contact through merged_from_ids. Identity fields are normalized here
-- (person_staging), once per changed record, for every later model: this is the incremental part of
-- identity resolution.
-- record_id and company_record_id (hash_id of the record keys) are what every later join uses.
with typed as (
  select
    _tide_source || ':contacts:' || _tide_id as record_key,
    _tide_source as source_name,
    'hubspot' as crm,
    'contacts' as object,
    _tide_id as crm_id,
    email as email_raw,
    hs_additional_emails as alt_emails,
    coalesce(phone, mobilephone) as phone_raw,
    nullif(trim(firstname), '') as first_name,
    nullif(trim(lastname), '') as last_name,
    nullif(trim(jobtitle), '') as job_title,
    nullif(trim(company), '') as company_name,
    _tide_source || ':companies:' || nullif(trim(associatedcompanyid), '') as company_record_key,
    {{ url_domain('website') }} as website_domain,
    nullif(trim(city), '') as city,
    nullif(trim(country), '') as country,
    hs_merged_object_ids as merged_from_ids,
    coalesce(createdate, _tide_updated_at) as created_at,
    coalesce(lastmodifieddate, _tide_updated_at) as updated_at,
    coalesce(_tide_deleted, false) as is_deleted,
    _tide_loaded_at as loaded_at
  from {{ source('hubspot', 'contacts') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
{{ person_staging('typed', merged_from_ids='merged_from_ids', alt_emails='alt_emails') }}
