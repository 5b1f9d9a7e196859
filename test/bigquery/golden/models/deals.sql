-- analytics/deals.sql: first build (table)

CREATE OR REPLACE TABLE `acme-analytics`.`analytics`.`deals` AS
-- Every live deal / opportunity of every CRM, with the unified company it belongs to.
with all_deals as (
  select record_key, source_name, crm, object, crm_id, name, amount, stage, status, close_date,
         company_record_id, created_at, updated_at
  from `acme-analytics`.`staging`.`stg_hubspot_deals` where not is_deleted
  union all
  select record_key, source_name, crm, object, crm_id, name, amount, stage, status, close_date,
         company_record_id, created_at, updated_at
  from `acme-analytics`.`staging`.`stg_salesforce_opportunities` where not is_deleted
  union all
  select record_key, source_name, crm, object, crm_id, name, amount, stage, status, close_date,
         company_record_id, created_at, updated_at
  from `acme-analytics`.`staging`.`stg_pipedrive_deals` where not is_deleted
  union all
  select record_key, source_name, crm, object, crm_id, name, amount, stage, status, close_date,
         company_record_id, created_at, updated_at
  from `acme-analytics`.`staging`.`stg_zoho_deals` where not is_deleted
  union all
  select record_key, source_name, crm, object, crm_id, name, amount, stage, status, close_date,
         company_record_id, created_at, updated_at
  from `acme-analytics`.`staging`.`stg_activecampaign_deals` where not is_deleted
  union all
  select record_key, source_name, crm, object, crm_id, name, amount, stage, status, close_date,
         company_record_id, created_at, updated_at
  from `acme-analytics`.`staging`.`stg_dynamics_opportunities` where not is_deleted
)
select
  d.record_key as deal_key,
  d.source_name,
  d.crm,
  d.object,
  d.crm_id,
  d.name,
  d.amount,
  d.stage,
  d.status,
  d.close_date,
  case when r.company_num is not null then LPAD(FORMAT('%x', r.company_num), 15, '0') end as company_id,
  d.created_at,
  d.updated_at
from all_deals as d
left join `acme-analytics`.`staging`.`int_company_refs` as r on r.record_id = d.company_record_id;
