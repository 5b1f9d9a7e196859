-- intermediate/int_company_sources.sql: first build (view)

CREATE OR REPLACE VIEW "staging"."int_company_sources" AS
-- Every live company record of every CRM in one shape (industry already folded into groups in staging).
select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, industry_group,
       employees, annual_revenue, city, country, phone_key, created_at, updated_at
from "staging"."stg_hubspot_companies" where not is_deleted
union all
select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, industry_group,
       employees, annual_revenue, city, country, phone_key, created_at, updated_at
from "staging"."stg_salesforce_accounts" where not is_deleted
union all
select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, industry_group,
       employees, annual_revenue, city, country, phone_key, created_at, updated_at
from "staging"."stg_pipedrive_organizations" where not is_deleted
union all
select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, industry_group,
       employees, annual_revenue, city, country, phone_key, created_at, updated_at
from "staging"."stg_zoho_accounts" where not is_deleted
union all
select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, industry_group,
       employees, annual_revenue, city, country, phone_key, created_at, updated_at
from "staging"."stg_activecampaign_accounts" where not is_deleted
union all
select record_key, record_id, source_name, crm, object, crm_id, name, name_key, domain, industry, industry_group,
       employees, annual_revenue, city, country, phone_key, created_at, updated_at
from "staging"."stg_dynamics_accounts" where not is_deleted;
