{{ config(materialized='view') }}
-- Every live record the quality metrics measure, one shape for all CRMs and objects: the entity it
-- resolved to (customer for people, company for companies; none for deals), whether its CRM already
-- merged it, its email state, and the share of its required fields (models.requiredFields) filled.
with people as (
  select source_name, crm, object, record_id, email_present, email_valid, {{ required_completion('hubspot.contacts') }} as completion, updated_at from {{ ref('stg_hubspot_contacts') }} where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, {{ required_completion('salesforce.Contact') }}, updated_at from {{ ref('stg_salesforce_contacts') }} where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, {{ required_completion('salesforce.Lead') }}, updated_at from {{ ref('stg_salesforce_leads') }} where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, {{ required_completion('pipedrive.persons') }}, updated_at from {{ ref('stg_pipedrive_persons') }} where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, {{ required_completion('zoho.Contacts') }}, updated_at from {{ ref('stg_zoho_contacts') }} where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, {{ required_completion('zoho.Leads') }}, updated_at from {{ ref('stg_zoho_leads') }} where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, {{ required_completion('activecampaign.contacts') }}, updated_at from {{ ref('stg_activecampaign_contacts') }} where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, {{ required_completion('dynamics.contacts') }}, updated_at from {{ ref('stg_dynamics_contacts') }} where not is_deleted
  union all
  select source_name, crm, object, record_id, email_present, email_valid, {{ required_completion('dynamics.leads') }}, updated_at from {{ ref('stg_dynamics_leads') }} where not is_deleted
),
companies as (
  select source_name, crm, object, record_id, {{ required_completion('hubspot.companies') }} as completion, updated_at from {{ ref('stg_hubspot_companies') }} where not is_deleted
  union all
  select source_name, crm, object, record_id, {{ required_completion('salesforce.Account') }}, updated_at from {{ ref('stg_salesforce_accounts') }} where not is_deleted
  union all
  select source_name, crm, object, record_id, {{ required_completion('pipedrive.organizations') }}, updated_at from {{ ref('stg_pipedrive_organizations') }} where not is_deleted
  union all
  select source_name, crm, object, record_id, {{ required_completion('zoho.Accounts') }}, updated_at from {{ ref('stg_zoho_accounts') }} where not is_deleted
  union all
  select source_name, crm, object, record_id, {{ required_completion('activecampaign.accounts') }}, updated_at from {{ ref('stg_activecampaign_accounts') }} where not is_deleted
  union all
  select source_name, crm, object, record_id, {{ required_completion('dynamics.accounts') }}, updated_at from {{ ref('stg_dynamics_accounts') }} where not is_deleted
),
deals as (
  select source_name, crm, object, {{ required_completion('hubspot.deals') }} as completion, updated_at from {{ ref('stg_hubspot_deals') }} where not is_deleted
  union all
  select source_name, crm, object, {{ required_completion('salesforce.Opportunity') }}, updated_at from {{ ref('stg_salesforce_opportunities') }} where not is_deleted
  union all
  select source_name, crm, object, {{ required_completion('pipedrive.deals') }}, updated_at from {{ ref('stg_pipedrive_deals') }} where not is_deleted
  union all
  select source_name, crm, object, {{ required_completion('zoho.Deals') }}, updated_at from {{ ref('stg_zoho_deals') }} where not is_deleted
  union all
  select source_name, crm, object, {{ required_completion('activecampaign.deals') }}, updated_at from {{ ref('stg_activecampaign_deals') }} where not is_deleted
  union all
  select source_name, crm, object, {{ required_completion('dynamics.opportunities') }}, updated_at from {{ ref('stg_dynamics_opportunities') }} where not is_deleted
)
select q.source_name, q.crm, q.object, 'customer' as entity_kind, s.customer_num as entity_id,
       coalesce(s.is_merged, false) as is_merged, q.email_present, q.email_valid, q.completion, q.updated_at
from people as q
left join {{ ref('int_customer_map') }} as s on s.record_id = q.record_id
union all
select q.source_name, q.crm, q.object, 'company', r.company_num, false, false, false, q.completion, q.updated_at
from companies as q
left join {{ ref('int_company_refs') }} as r on r.record_id = q.record_id
union all
select source_name, crm, object, 'deal', cast(null as {{ sql_type('integer') }}), false, false, false, completion, updated_at
from deals
