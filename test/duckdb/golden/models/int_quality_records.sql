-- intermediate/int_quality_records.sql: first build (view)

CREATE OR REPLACE VIEW "staging"."int_quality_records" AS
-- Every live record the quality metrics measure, one shape for all CRMs and objects: the entity it
-- resolved to (customer for people, company for companies; none for deals), whether its CRM already
-- merged it, its email state, and the share of its required fields (models.requiredFields) filled.
with people as (
  select source_name, crm, object, record_id, email_present, email_valid, (CAST((CASE WHEN "email" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "first_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "last_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "phone" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "company_name" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 5) as completion, updated_at from "staging"."stg_hubspot_contacts" where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, (CAST((CASE WHEN "email" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "first_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "last_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "phone" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "company_record_id" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 5), updated_at from "staging"."stg_salesforce_contacts" where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, (CAST((CASE WHEN "email" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "first_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "last_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "company_name" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 4), updated_at from "staging"."stg_salesforce_leads" where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, (CAST((CASE WHEN "email" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "first_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "last_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "phone" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "company_record_id" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 5), updated_at from "staging"."stg_pipedrive_persons" where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, (CAST((CASE WHEN "email" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "first_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "last_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "phone" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "company_record_id" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 5), updated_at from "staging"."stg_zoho_contacts" where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, (CAST((CASE WHEN "email" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "first_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "last_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "company_name" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 4), updated_at from "staging"."stg_zoho_leads" where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, (CAST((CASE WHEN "email" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "first_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "last_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "phone" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "company_record_id" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 5), updated_at from "staging"."stg_activecampaign_contacts" where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, (CAST((CASE WHEN "email" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "first_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "last_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "phone" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "company_record_id" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 5), updated_at from "staging"."stg_dynamics_contacts" where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, (CAST((CASE WHEN "email" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "first_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "last_name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "company_name" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 4), updated_at from "staging"."stg_dynamics_leads" where not is_deleted
),
companies as (
  select source_name, crm, object, record_id, (CAST((CASE WHEN "name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "domain" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "industry" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 3) as completion, updated_at from "staging"."stg_hubspot_companies" where not is_deleted
  union all
  select source_name, crm, object, record_id, (CAST((CASE WHEN "name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "domain" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "industry" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 3), updated_at from "staging"."stg_salesforce_accounts" where not is_deleted
  union all
  select source_name, crm, object, record_id, (CAST((CASE WHEN "name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "domain" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 2), updated_at from "staging"."stg_pipedrive_organizations" where not is_deleted
  union all
  select source_name, crm, object, record_id, (CAST((CASE WHEN "name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "domain" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "industry" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 3), updated_at from "staging"."stg_zoho_accounts" where not is_deleted
  union all
  select source_name, crm, object, record_id, (CAST((CASE WHEN "name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "domain" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 2), updated_at from "staging"."stg_activecampaign_accounts" where not is_deleted
  union all
  select source_name, crm, object, record_id, (CAST((CASE WHEN "name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "domain" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "industry" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 3), updated_at from "staging"."stg_dynamics_accounts" where not is_deleted
),
deals as (
  select source_name, crm, object, (CAST((CASE WHEN "name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "amount" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "stage" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "close_date" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 4) as completion, updated_at from "staging"."stg_hubspot_deals" where not is_deleted
  union all
  select source_name, crm, object, (CAST((CASE WHEN "name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "amount" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "stage" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "close_date" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 4), updated_at from "staging"."stg_salesforce_opportunities" where not is_deleted
  union all
  select source_name, crm, object, (CAST((CASE WHEN "name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "amount" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "stage" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 3), updated_at from "staging"."stg_pipedrive_deals" where not is_deleted
  union all
  select source_name, crm, object, (CAST((CASE WHEN "name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "amount" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "stage" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "close_date" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 4), updated_at from "staging"."stg_zoho_deals" where not is_deleted
  union all
  select source_name, crm, object, (CAST((CASE WHEN "name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "amount" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "stage" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 3), updated_at from "staging"."stg_activecampaign_deals" where not is_deleted
  union all
  select source_name, crm, object, (CAST((CASE WHEN "name" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "amount" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "stage" IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN "close_date" IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / 4), updated_at from "staging"."stg_dynamics_opportunities" where not is_deleted
)
select q.source_name, q.crm, q.object, 'customer' as entity_kind, s.customer_num as entity_id,
       coalesce(s.is_merged, false) as is_merged, q.email_present, q.email_valid, q.completion, q.updated_at
from people as q
left join "staging"."int_customer_map" as s on s.record_id = q.record_id
union all
select q.source_name, q.crm, q.object, 'company', r.company_num, false, false, false, q.completion, q.updated_at
from companies as q
left join "staging"."int_company_refs" as r on r.record_id = q.record_id
union all
select source_name, crm, object, 'deal', cast(null as BIGINT), false, false, false, completion, updated_at
from deals;
