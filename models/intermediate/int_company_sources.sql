{{ config(materialized='view') }}
-- Every live company record of every CRM in one shape (industry already folded into groups in staging).
select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, industry_group,
       employees, annual_revenue, city, country, phone_key, created_at, updated_at
from {{ ref('stg_hubspot_companies') }} where not is_deleted
union all
select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, industry_group,
       employees, annual_revenue, city, country, phone_key, created_at, updated_at
from {{ ref('stg_salesforce_accounts') }} where not is_deleted
union all
select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, industry_group,
       employees, annual_revenue, city, country, phone_key, created_at, updated_at
from {{ ref('stg_pipedrive_organizations') }} where not is_deleted
union all
select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, industry_group,
       employees, annual_revenue, city, country, phone_key, created_at, updated_at
from {{ ref('stg_zoho_accounts') }} where not is_deleted
union all
select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, industry_group,
       employees, annual_revenue, city, country, phone_key, created_at, updated_at
from {{ ref('stg_activecampaign_accounts') }} where not is_deleted
union all
select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, industry_group,
       employees, annual_revenue, city, country, phone_key, created_at, updated_at
from {{ ref('stg_dynamics_accounts') }} where not is_deleted
