{{ config(materialized='table') }}
-- Every live company record of every CRM in one shape, with the industry folded into a small set of
-- groups the CRMs agree on (HubSpot COMPUTER_SOFTWARE and Salesforce Technology are both Software).
with companies as (
  select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, employees,
         annual_revenue, city, country, created_at, updated_at
  from {{ ref('stg_hubspot_companies') }} where not is_deleted
  union all
  select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, employees,
         annual_revenue, city, country, created_at, updated_at
  from {{ ref('stg_salesforce_accounts') }} where not is_deleted
  union all
  select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, employees,
         annual_revenue, city, country, created_at, updated_at
  from {{ ref('stg_pipedrive_organizations') }} where not is_deleted
)
select
  companies.*,
  case
    when industry is null then null
    when {{ regex_contains('upper(industry)', 'SOFTWARE|TECHNOLOG|COMPUTER|INTERNET|SAAS|INFORMATION') }} then 'Software'
    when {{ regex_contains('upper(industry)', 'FINANC|BANK|INSURANCE|INVEST|CAPITAL') }} then 'Finance'
    when {{ regex_contains('upper(industry)', 'HEALTH|HOSPITAL|MEDIC|PHARMA|BIOTECH') }} then 'Healthcare'
    when {{ regex_contains('upper(industry)', 'RETAIL|CONSUMER|APPAREL') }} then 'Retail'
    when {{ regex_contains('upper(industry)', 'MANUFACTUR|MACHINERY|INDUSTRIAL|AUTOMOTIVE') }} then 'Manufacturing'
    when {{ regex_contains('upper(industry)', 'EDUCATION|E_LEARNING|ELEARNING') }} then 'Education'
    when {{ regex_contains('upper(industry)', 'LOGISTIC|TRANSPORT|SHIPPING|SUPPLY') }} then 'Logistics'
    when {{ regex_contains('upper(industry)', 'MEDIA|ENTERTAINMENT|PUBLISHING|BROADCAST') }} then 'Media'
    when {{ regex_contains('upper(industry)', 'ENERGY|OIL|UTILIT|RENEWABLE') }} then 'Energy'
    when {{ regex_contains('upper(industry)', 'CONSULT') }} then 'Consulting'
    else 'Other'
  end as industry_group
from companies
