-- analytics/customers.sql: first build (table)

CREATE OR REPLACE TABLE "analytics"."customers" AS
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
  from "staging"."int_person_records" as p
  join "staging"."int_customer_map" as m on m.record_id = p.record_id
),
keyed as (
  select
    s.*,
    ((CASE case when s.is_merged then '~merged' else s.crm end WHEN 'salesforce' THEN 1 WHEN 'hubspot' THEN 2 WHEN 'pipedrive' THEN 3 WHEN 'zoho' THEN 4 WHEN 'activecampaign' THEN 5 WHEN 'dynamics' THEN 6 ELSE 7 END) * 100000000000000000 + (10000000000 - COALESCE(CAST(floor(epoch(s.updated_at)) AS BIGINT), 0)) * 10000000 + MOD(s.record_id, 10000000)) as k_email,
    ((CASE case when s.is_merged then '~merged' else s.crm end WHEN 'salesforce' THEN 1 WHEN 'hubspot' THEN 2 WHEN 'pipedrive' THEN 3 WHEN 'zoho' THEN 4 WHEN 'activecampaign' THEN 5 WHEN 'dynamics' THEN 6 ELSE 7 END) * 100000000000000000 + (10000000000 - COALESCE(CAST(floor(epoch(s.updated_at)) AS BIGINT), 0)) * 10000000 + MOD(s.record_id, 10000000)) as k_phone,
    ((CASE case when s.is_merged then '~merged' else s.crm end WHEN 'salesforce' THEN 1 WHEN 'hubspot' THEN 2 WHEN 'pipedrive' THEN 3 WHEN 'zoho' THEN 4 WHEN 'activecampaign' THEN 5 WHEN 'dynamics' THEN 6 ELSE 7 END) * 100000000000000000 + (10000000000 - COALESCE(CAST(floor(epoch(s.updated_at)) AS BIGINT), 0)) * 10000000 + MOD(s.record_id, 10000000)) as k_first_name,
    ((CASE case when s.is_merged then '~merged' else s.crm end WHEN 'salesforce' THEN 1 WHEN 'hubspot' THEN 2 WHEN 'pipedrive' THEN 3 WHEN 'zoho' THEN 4 WHEN 'activecampaign' THEN 5 WHEN 'dynamics' THEN 6 ELSE 7 END) * 100000000000000000 + (10000000000 - COALESCE(CAST(floor(epoch(s.updated_at)) AS BIGINT), 0)) * 10000000 + MOD(s.record_id, 10000000)) as k_last_name,
    ((CASE case when s.is_merged then '~merged' else s.crm end WHEN 'salesforce' THEN 1 WHEN 'hubspot' THEN 2 WHEN 'pipedrive' THEN 3 WHEN 'zoho' THEN 4 WHEN 'activecampaign' THEN 5 WHEN 'dynamics' THEN 6 ELSE 7 END) * 100000000000000000 + (10000000000 - COALESCE(CAST(floor(epoch(s.updated_at)) AS BIGINT), 0)) * 10000000 + MOD(s.record_id, 10000000)) as k_job_title,
    ((CASE case when s.is_merged then '~merged' else s.crm end WHEN 'salesforce' THEN 1 WHEN 'hubspot' THEN 2 WHEN 'pipedrive' THEN 3 WHEN 'zoho' THEN 4 WHEN 'activecampaign' THEN 5 WHEN 'dynamics' THEN 6 ELSE 7 END) * 100000000000000000 + (10000000000 - COALESCE(CAST(floor(epoch(s.updated_at)) AS BIGINT), 0)) * 10000000 + MOD(s.record_id, 10000000)) as k_company,
    ((CASE case when s.is_merged then '~merged' else s.crm end WHEN 'salesforce' THEN 1 WHEN 'hubspot' THEN 2 WHEN 'pipedrive' THEN 3 WHEN 'zoho' THEN 4 WHEN 'activecampaign' THEN 5 WHEN 'dynamics' THEN 6 ELSE 7 END) * 100000000000000000 + (10000000000 - COALESCE(CAST(floor(epoch(s.updated_at)) AS BIGINT), 0)) * 10000000 + MOD(s.record_id, 10000000)) as k_city,
    ((CASE case when s.is_merged then '~merged' else s.crm end WHEN 'salesforce' THEN 1 WHEN 'hubspot' THEN 2 WHEN 'pipedrive' THEN 3 WHEN 'zoho' THEN 4 WHEN 'activecampaign' THEN 5 WHEN 'dynamics' THEN 6 ELSE 7 END) * 100000000000000000 + (10000000000 - COALESCE(CAST(floor(epoch(s.updated_at)) AS BIGINT), 0)) * 10000000 + MOD(s.record_id, 10000000)) as k_country
  from records as s
  where not s.alone
),
company_keys as (
  -- Every mention of a company_num has the same key (the number is its hash).
  select company_num, any_value(company_key) as company_key from "staging"."int_company_refs" group by company_num
),
survivors as (
  select
    customer_num,
    arg_min(case when email_valid then email end, k_email) as email,
    arg_min(phone, k_phone) as phone_full,
    arg_min(first_name, k_first_name) as first_name,
    arg_min(last_name, k_last_name) as last_name,
    arg_min(job_title, k_job_title) as job_title,
    arg_min(company_num, k_company) as company_num,
    arg_min(case when company_num is not null then company_name end, k_company) as company_name,
    arg_min(city, k_city) as city,
    arg_min(country, k_country) as country,
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
  lower(lpad(hex(customer_num), 15, '0')) as customer_id,
  customer_num,
  email,
  split_part(phone_full, ';ext=', 1) as phone,
  nullif(split_part(phone_full, ';ext=', 2), '') as phone_extension,
  first_name,
  last_name,
  nullif(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '') as full_name,
  job_title,
  case when s.company_num is not null then lower(lpad(hex(s.company_num), 15, '0')) end as company_id,
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
left join company_keys as ck on ck.company_num = s.company_num;
