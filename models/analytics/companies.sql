{{ config(materialized='table') }}
-- One row per company across CRMs (unified by domain, then by name: see int_company_refs), linked to
-- its customers and deals. Attributes survive like customer fields (source priority, then recency,
-- then the smaller record id); companies known only from people's emails or company names get their
-- name from those people's records.
with mentions as (
  select
    r.company_num,
    r.company_key,
    r.is_company,
    coalesce(cs.crm, p.crm) as crm,
    cs.crm_id,
    coalesce(cs.name, p.company_name) as name,
    cs.industry,
    cs.industry_group,
    cs.employees,
    cs.annual_revenue,
    coalesce(cs.city, p.city) as city,
    coalesce(cs.country, p.country) as country,
    coalesce(cs.created_at, p.created_at) as created_at,
    coalesce(cs.updated_at, p.updated_at) as updated_at,
    {{ survivor_key("case when r.is_company then coalesce(cs.crm, p.crm) else '~person' end", 'coalesce(cs.updated_at, p.updated_at)', 'r.record_id') }} as k
  from {{ ref('int_company_refs') }} as r
  left join {{ ref('int_company_sources') }} as cs on cs.record_id = r.record_id
  -- Equality only in ON (a one-sided predicate would make DuckDB loop); company and person record ids never meet.
  left join {{ ref('int_person_records') }} as p on p.record_id = r.record_id
),
unified as (
  select
    company_num,
    min(company_key) as company_key,
    {{ first_non_null_by('name', 'k') }} as name,
    {{ first_non_null_by('industry', 'k') }} as industry,
    {{ first_non_null_by('industry_group', 'k') }} as industry_group,
    {{ first_non_null_by('employees', 'k') }} as employees,
    {{ first_non_null_by('annual_revenue', 'k') }} as annual_revenue,
    {{ first_non_null_by('city', 'k') }} as city,
    {{ first_non_null_by('country', 'k') }} as country,
    min(case when is_company and crm = 'hubspot' then crm_id end) as hubspot_company_id,
    min(case when is_company and crm = 'salesforce' then crm_id end) as salesforce_account_id,
    min(case when is_company and crm = 'pipedrive' then crm_id end) as pipedrive_organization_id,
    min(case when is_company and crm = 'zoho' then crm_id end) as zoho_account_id,
    min(case when is_company and crm = 'activecampaign' then crm_id end) as activecampaign_account_id,
    min(case when is_company and crm = 'dynamics' then crm_id end) as dynamics_account_id,
    sum(case when is_company then 1 else 0 end) as company_record_count,
    min(created_at) as first_seen_at,
    max(updated_at) as last_modified_at
  from mentions
  group by company_num
),
customer_counts as (
  select company_id, count(*) as customer_count
  from {{ ref('customers') }}
  where company_id is not null
  group by company_id
),
deal_totals as (
  select
    company_id,
    count(*) as deal_count,
    sum(case when status = 'open' then coalesce(amount, 0) else 0 end) as open_deal_amount,
    sum(case when status = 'won' then coalesce(amount, 0) else 0 end) as won_deal_amount
  from {{ ref('deals') }}
  where company_id is not null
  group by company_id
),
named as (
  -- The domain once per company, from its key: every mention of a company_num has that one key (the
  -- number is its hash), so this is the domain of each of its mentions.
  select
    unified.*,
    case when company_key like 'domain:%' then substr(company_key, 8) end as domain,
    {{ id_text('company_num') }} as company_id
  from unified
)
select
  u.company_id,
  u.company_key,
  u.domain,
  u.name,
  u.industry,
  u.industry_group,
  u.employees,
  u.annual_revenue,
  u.city,
  u.country,
  u.hubspot_company_id,
  u.salesforce_account_id,
  u.pipedrive_organization_id,
  u.zoho_account_id,
  u.activecampaign_account_id,
  u.dynamics_account_id,
  u.company_record_count,
  coalesce(cc.customer_count, 0) as customer_count,
  coalesce(dt.deal_count, 0) as deal_count,
  coalesce(dt.open_deal_amount, 0) as open_deal_amount,
  coalesce(dt.won_deal_amount, 0) as won_deal_amount,
  u.first_seen_at,
  u.last_modified_at
from named as u
left join customer_counts as cc on cc.company_id = u.company_id
left join deal_totals as dt on dt.company_id = u.company_id
