{{ config(materialized='table') }}
-- One row per real-world person across all CRMs (identity resolution: see int_identity_edges and
-- int_identity_clusters; customer_id: see customer_sources).
-- Survivorship, per field: among the cluster's records that have a value, the one from the most
-- trusted CRM (models.sourcePriority, or models.fieldPriority.<field>) wins, then the most recently
-- modified, then the smaller record id (so ties never depend on row order). Records a CRM merged away
-- rank after every CRM: they only fill fields no live record has. Company id, key and name come from
-- one record, so they always describe the same company.
with records as (
  select
    m.customer_num,
    m.company_num,
    -- No match rule means no edge: a customer of one record, which needs no survivorship.
    m.best_rule is null as alone,
    p.record_id,
    p.crm,
    p.object,
    p.crm_id,
    p.is_merged,
    p.email,
    p.email_valid,
    -- The number and its extension travel together (the extension is part of the person's number).
    p.phone || coalesce(';ext=' || p.phone_ext, '') as phone,
    p.first_name,
    p.last_name,
    p.job_title,
    p.company_name,
    p.city,
    p.country,
    p.created_at,
    p.updated_at
  from {{ ref('int_person_records') }} as p
  join {{ ref('int_customer_map') }} as m on m.record_id = p.record_id
),
keyed as (
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
  from records as s
  where not s.alone
),
company_keys as (
  -- Every mention of a company_num has the same key (the number is its hash).
  select company_num, any_value(company_key) as company_key from {{ ref('int_company_refs') }} group by company_num
),
survivors as (
  select
    customer_num,
    {{ first_non_null_by('case when email_valid then email end', 'k_email') }} as email,
    {{ first_non_null_by('phone', 'k_phone') }} as phone_full,
    {{ first_non_null_by('first_name', 'k_first_name') }} as first_name,
    {{ first_non_null_by('last_name', 'k_last_name') }} as last_name,
    {{ first_non_null_by('job_title', 'k_job_title') }} as job_title,
    {{ first_non_null_by('company_num', 'k_company') }} as company_num,
    {{ first_non_null_by('case when company_num is not null then company_name end', 'k_company') }} as company_name,
    {{ first_non_null_by('city', 'k_city') }} as city,
    {{ first_non_null_by('country', 'k_country') }} as country,
    min(case when crm = 'hubspot' and not is_merged then crm_id end) as hubspot_contact_id,
    min(case when crm = 'salesforce' and object = 'Contact' and not is_merged then crm_id end) as salesforce_contact_id,
    min(case when crm = 'salesforce' and object = 'Lead' and not is_merged then crm_id end) as salesforce_lead_id,
    min(case when crm = 'pipedrive' and not is_merged then crm_id end) as pipedrive_person_id,
    min(case when crm = 'zoho' and object = 'Contacts' and not is_merged then crm_id end) as zoho_contact_id,
    min(case when crm = 'zoho' and object = 'Leads' and not is_merged then crm_id end) as zoho_lead_id,
    min(case when crm = 'activecampaign' and not is_merged then crm_id end) as activecampaign_contact_id,
    min(case when crm = 'dynamics' and object = 'contacts' and not is_merged then crm_id end) as dynamics_contact_id,
    min(case when crm = 'dynamics' and object = 'leads' and not is_merged then crm_id end) as dynamics_lead_id,
    max(case when crm = 'hubspot' then 1 else 0 end) as in_hubspot,
    max(case when crm = 'salesforce' then 1 else 0 end) as in_salesforce,
    max(case when crm = 'pipedrive' then 1 else 0 end) as in_pipedrive,
    max(case when crm = 'zoho' then 1 else 0 end) as in_zoho,
    max(case when crm = 'activecampaign' then 1 else 0 end) as in_activecampaign,
    max(case when crm = 'dynamics' then 1 else 0 end) as in_dynamics,
    count(*) as record_count,
    min(created_at) as first_seen_at,
    max(updated_at) as last_modified_at
  from keyed
  group by customer_num
),
singles as (
  select
    customer_num,
    case when email_valid then email end as email,
    phone as phone_full,
    first_name,
    last_name,
    job_title,
    company_num,
    case when company_num is not null then company_name end as company_name,
    city,
    country,
    case when crm = 'hubspot' then crm_id end as hubspot_contact_id,
    case when crm = 'salesforce' and object = 'Contact' then crm_id end as salesforce_contact_id,
    case when crm = 'salesforce' and object = 'Lead' then crm_id end as salesforce_lead_id,
    case when crm = 'pipedrive' then crm_id end as pipedrive_person_id,
    case when crm = 'zoho' and object = 'Contacts' then crm_id end as zoho_contact_id,
    case when crm = 'zoho' and object = 'Leads' then crm_id end as zoho_lead_id,
    case when crm = 'activecampaign' then crm_id end as activecampaign_contact_id,
    case when crm = 'dynamics' and object = 'contacts' then crm_id end as dynamics_contact_id,
    case when crm = 'dynamics' and object = 'leads' then crm_id end as dynamics_lead_id,
    case when crm = 'hubspot' then 1 else 0 end as in_hubspot,
    case when crm = 'salesforce' then 1 else 0 end as in_salesforce,
    case when crm = 'pipedrive' then 1 else 0 end as in_pipedrive,
    case when crm = 'zoho' then 1 else 0 end as in_zoho,
    case when crm = 'activecampaign' then 1 else 0 end as in_activecampaign,
    case when crm = 'dynamics' then 1 else 0 end as in_dynamics,
    1 as record_count,
    created_at as first_seen_at,
    updated_at as last_modified_at
  from records
  where alone
),
all_customers as (
  select * from survivors
  union all
  select * from singles
)
select
  {{ id_text('customer_num') }} as customer_id,
  customer_num,
  email,
  {{ split_part('phone_full', ';ext=', 1) }} as phone,
  nullif({{ split_part('phone_full', ';ext=', 2) }}, '') as phone_extension,
  first_name,
  last_name,
  nullif(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '') as full_name,
  job_title,
  case when s.company_num is not null then {{ id_text('s.company_num') }} end as company_id,
  company_name,
  case when ck.company_key like 'domain:%' then substr(ck.company_key, 8) end as company_domain,
  city,
  country,
  hubspot_contact_id,
  salesforce_contact_id,
  salesforce_lead_id,
  pipedrive_person_id,
  zoho_contact_id,
  zoho_lead_id,
  activecampaign_contact_id,
  dynamics_contact_id,
  dynamics_lead_id,
  in_hubspot + in_salesforce + in_pipedrive + in_zoho + in_activecampaign + in_dynamics as crm_count,
  record_count,
  first_seen_at,
  last_modified_at
from all_customers as s
left join company_keys as ck on ck.company_num = s.company_num
