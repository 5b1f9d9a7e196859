{{ config(materialized='incremental', unique_key='record_key') }}
-- Dynamics 365 leads. A qualified lead lives on as the contact that names it in originatingleadid, a
-- lead merged into another as its masterid: it follows that record in identity resolution
-- (merged_into_key). Identity fields: person_staging.
with typed as (
  select
    _tide_source || ':leads:' || _tide_id as record_key,
    _tide_source as source_name,
    'dynamics' as crm,
    'leads' as object,
    _tide_id as crm_id,
    emailaddress1 as email_raw,
    coalesce(nullif(trim(telephone1), ''), mobilephone) as phone_raw,
    nullif(trim(firstname), '') as first_name,
    nullif(trim(lastname), '') as last_name,
    nullif(trim(jobtitle), '') as job_title,
    nullif(trim(companyname), '') as company_name,
    _tide_source || ':accounts:' || lower(nullif(trim(parentaccountid), '')) as company_record_key,
    {{ url_domain('websiteurl') }} as website_domain,
    nullif(trim(address1_city), '') as city,
    nullif(trim(address1_country), '') as country,
    case
      when coalesce(s.merged, false) and nullif(trim(s.masterid), '') is not null
        then s._tide_source || ':leads:' || lower(trim(s.masterid))
      else s._tide_source || ':contacts:' || q.contact_id
    end as merged_into_key,
    nullif(trim(statecode_label), '') as lead_status,
    coalesce(createdon, _tide_updated_at) as created_at,
    coalesce(modifiedon, _tide_updated_at) as updated_at,
    coalesce(_tide_deleted, false) as is_deleted,
    _tide_loaded_at as loaded_at
  from {{ source('dynamics', 'leads') }} as s
  -- Qualifying a lead changes it (statecode Qualified), so it is restaged with the contact it became.
  left join (
    select lower(trim(originatingleadid)) as lead_id, min(_tide_id) as contact_id
    from {{ source('dynamics', 'contacts') }}
    where not coalesce(_tide_deleted, false) and nullif(trim(originatingleadid), '') is not null
    group by lower(trim(originatingleadid))
  ) as q on q.lead_id = lower(s._tide_id)
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
{{ person_staging('typed', ['lead_status'], merged_into_key='merged_into_key') }}
