{{ config(materialized='table') }}
-- Every CRM contact, lead and person in one shape: the nodes of identity resolution.
-- Live records, plus records their CRM merged away (is_merged, merged_into_id) so they can follow
-- their survivor. A person's company comes from the CRM company it is linked to (account,
-- organization, associated company) when there is one, else from its own website / work email.
-- record_id (hash_id of record_key) is what every later join and aggregate uses.
with persons as (
  select record_key, record_id, source_name, crm, object, crm_id, email, email_valid, email_is_role, phone,
         first_name, last_name, name_key, job_title, company_name, company_name_key, company_crm_id,
         company_domain, city, country, created_at, updated_at, is_deleted
  from {{ ref('stg_hubspot_contacts') }}
  union all
  select record_key, record_id, source_name, crm, object, crm_id, email, email_valid, email_is_role, phone,
         first_name, last_name, name_key, job_title, company_name, company_name_key, company_crm_id,
         company_domain, city, country, created_at, updated_at, is_deleted
  from {{ ref('stg_salesforce_contacts') }}
  union all
  select record_key, record_id, source_name, crm, object, crm_id, email, email_valid, email_is_role, phone,
         first_name, last_name, name_key, job_title, company_name, company_name_key, company_crm_id,
         company_domain, city, country, created_at, updated_at, is_deleted
  from {{ ref('stg_salesforce_leads') }}
  union all
  select record_key, record_id, source_name, crm, object, crm_id, email, email_valid, email_is_role, phone,
         first_name, last_name, name_key, job_title, company_name, company_name_key, company_crm_id,
         company_domain, city, country, created_at, updated_at, is_deleted
  from {{ ref('stg_pipedrive_persons') }}
),
linked as (
  select
    p.*,
    m.winner_key as merged_into_key,
    case p.crm
      when 'hubspot' then p.source_name || ':companies:' || coalesce(p.company_crm_id, hc.company_crm_id)
      when 'salesforce' then p.source_name || ':Account:' || p.company_crm_id
      when 'pipedrive' then p.source_name || ':organizations:' || p.company_crm_id
    end as company_record_key
  from persons as p
  left join {{ ref('int_crm_merges') }} as m on m.loser_key = p.record_key
  left join {{ ref('stg_hubspot_contact_companies') }} as hc on hc.record_key = p.record_key
  where not p.is_deleted or m.winner_key is not null
)
select
  l.record_key, l.record_id, l.source_name, l.crm, l.object, l.crm_id,
  l.email, l.email_valid, l.email_is_role, l.phone, l.first_name, l.last_name, l.name_key, l.job_title,
  coalesce(c.name, l.company_name) as company_name,
  coalesce(c.name_key, l.company_name_key) as company_name_key,
  coalesce(c.domain, l.company_domain) as company_domain,
  c.record_id as company_record_id,
  l.city, l.country, l.created_at, l.updated_at,
  l.merged_into_key is not null as is_merged,
  case when l.merged_into_key is not null then {{ hash_id('l.merged_into_key') }} end as merged_into_id
from linked as l
left join {{ ref('int_company_sources') }} as c on c.record_key = l.company_record_key
