{{ config(materialized='view') }}
-- Every person staging model (contacts, leads, persons of every CRM) in the one shape person_staging
-- gives them: the only place that lists them. A new CRM's people are one more branch here; identity
-- resolution (int_crm_merges, int_person_records and everything after) never names a CRM.
select {{ person_columns() }} from {{ ref('stg_hubspot_contacts') }}
union all
select {{ person_columns() }} from {{ ref('stg_salesforce_contacts') }}
union all
select {{ person_columns() }} from {{ ref('stg_salesforce_leads') }}
union all
select {{ person_columns() }} from {{ ref('stg_pipedrive_persons') }}
union all
select {{ person_columns() }} from {{ ref('stg_zoho_contacts') }}
union all
select {{ person_columns() }} from {{ ref('stg_zoho_leads') }}
union all
select {{ person_columns() }} from {{ ref('stg_activecampaign_contacts') }}
union all
select {{ person_columns() }} from {{ ref('stg_dynamics_contacts') }}
union all
select {{ person_columns() }} from {{ ref('stg_dynamics_leads') }}
