{{ config(materialized='incremental', unique_key='record_key') }}
-- Dynamics 365 contacts. The company is the account parentcustomerid points at (a Customer lookup:
-- it may point at another contact instead). A contact merged into another keeps masterid: it follows
-- its survivor (merged_into_key). A contact created by qualifying a lead names it in originatingleadid
-- (the lead follows the contact: stg_dynamics_leads). Identity fields: person_staging.
with typed as (
  select
    _tide_source || ':contacts:' || _tide_id as record_key,
    _tide_source as source_name,
    'dynamics' as crm,
    'contacts' as object,
    _tide_id as crm_id,
    emailaddress1 as email_raw,
    coalesce(nullif(trim(telephone1), ''), mobilephone) as phone_raw,
    nullif(trim(firstname), '') as first_name,
    nullif(trim(lastname), '') as last_name,
    nullif(trim(jobtitle), '') as job_title,
    cast(null as {{ sql_type('string') }}) as company_name,
    case when parentcustomerid_type = 'account' then _tide_source || ':accounts:' || lower(nullif(trim(parentcustomerid), '')) end as company_record_key,
    cast(null as {{ sql_type('string') }}) as website_domain,
    nullif(trim(address1_city), '') as city,
    nullif(trim(address1_country), '') as country,
    case when coalesce(merged, false) and nullif(trim(masterid), '') is not null
      then _tide_source || ':contacts:' || lower(trim(masterid)) end as merged_into_key,
    lower(nullif(trim(originatingleadid), '')) as originating_lead_id,
    coalesce(createdon, _tide_updated_at) as created_at,
    coalesce(modifiedon, _tide_updated_at) as updated_at,
    coalesce(_tide_deleted, false) as is_deleted,
    _tide_loaded_at as loaded_at
  from {{ source('dynamics', 'contacts') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
{{ person_staging('typed', ['originating_lead_id'], merged_into_key='merged_into_key') }}
