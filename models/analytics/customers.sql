{{ config(materialized='table') }}
-- One row per real-world person across all CRMs (identity resolution: see int_identity_edges and
-- int_identity_clusters; customer_id: see customer_sources).
-- Survivorship, per field: among the cluster's records that have a value, the one from the most
-- trusted CRM (models.sourcePriority, or models.fieldPriority.<field>) wins, then the most recently
-- modified, then the smaller record id (so ties never depend on row order). Records a CRM merged away
-- rank after every CRM: they only fill fields no live record has. Company id, key and name come from
-- one record, so they always describe the same company.
with keyed as (
  select
    s.*,
    {{ survivor_key("case when s.is_merged then '~merged' else s.crm end", 's.updated_at', 's.record_id', 'email') }} as k_email,
    {{ survivor_key("case when s.is_merged then '~merged' else s.crm end", 's.updated_at', 's.record_id', 'phone') }} as k_phone,
    {{ survivor_key("case when s.is_merged then '~merged' else s.crm end", 's.updated_at', 's.record_id', 'first_name') }} as k_first_name,
    {{ survivor_key("case when s.is_merged then '~merged' else s.crm end", 's.updated_at', 's.record_id', 'last_name') }} as k_last_name,
    {{ survivor_key("case when s.is_merged then '~merged' else s.crm end", 's.updated_at', 's.record_id', 'job_title') }} as k_job_title,
    {{ survivor_key("case when s.is_merged then '~merged' else s.crm end", 's.updated_at', 's.record_id', 'company') }} as k_company,
    {{ survivor_key("case when s.is_merged then '~merged' else s.crm end", 's.updated_at', 's.record_id', 'city') }} as k_city,
    {{ survivor_key("case when s.is_merged then '~merged' else s.crm end", 's.updated_at', 's.record_id', 'country') }} as k_country
  from {{ ref('customer_sources') }} as s
),
survivors as (
  select
    customer_num,
    {{ first_non_null_by('case when email_valid then email end', 'k_email') }} as email,
    {{ first_non_null_by('phone', 'k_phone') }} as phone,
    {{ first_non_null_by('first_name', 'k_first_name') }} as first_name,
    {{ first_non_null_by('last_name', 'k_last_name') }} as last_name,
    {{ first_non_null_by('job_title', 'k_job_title') }} as job_title,
    {{ first_non_null_by('company_num', 'k_company') }} as company_num,
    {{ first_non_null_by('company_key', 'k_company') }} as company_key,
    {{ first_non_null_by('case when company_key is not null then company_name end', 'k_company') }} as company_name,
    {{ first_non_null_by('city', 'k_city') }} as city,
    {{ first_non_null_by('country', 'k_country') }} as country,
    min(case when crm = 'hubspot' and not is_merged then crm_id end) as hubspot_contact_id,
    min(case when crm = 'salesforce' and object = 'Contact' and not is_merged then crm_id end) as salesforce_contact_id,
    min(case when crm = 'salesforce' and object = 'Lead' and not is_merged then crm_id end) as salesforce_lead_id,
    min(case when crm = 'pipedrive' and not is_merged then crm_id end) as pipedrive_person_id,
    max(case when crm = 'hubspot' then 1 else 0 end) as in_hubspot,
    max(case when crm = 'salesforce' then 1 else 0 end) as in_salesforce,
    max(case when crm = 'pipedrive' then 1 else 0 end) as in_pipedrive,
    count(*) as record_count,
    min(created_at) as first_seen_at,
    max(updated_at) as last_modified_at
  from keyed
  group by customer_num
)
select
  {{ id_text('customer_num') }} as customer_id,
  customer_num,
  email,
  phone,
  first_name,
  last_name,
  nullif(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '') as full_name,
  job_title,
  case when company_num is not null then {{ id_text('company_num') }} end as company_id,
  company_name,
  case when company_key like 'domain:%' then substr(company_key, 8) end as company_domain,
  city,
  country,
  hubspot_contact_id,
  salesforce_contact_id,
  salesforce_lead_id,
  pipedrive_person_id,
  in_hubspot + in_salesforce + in_pipedrive as crm_count,
  record_count,
  first_seen_at,
  last_modified_at
from survivors
