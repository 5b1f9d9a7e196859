-- intermediate/int_deal_contacts.sql: first build (view)

CREATE OR REPLACE VIEW `acme-analytics`.`staging`.`int_deal_contacts` AS
-- Which person records each live deal is linked to directly (HubSpot associations, Salesforce contact
-- roles and the opportunity's contact, Pipedrive's person, Zoho's contact), by record id. A view: only customer_scores
-- reads it, once.
select distinct deal_key, person_record_id from (
  select d.record_key as deal_key, CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(d.source_name || ':contacts:' || contact_id)), 1, 15)) AS INT64) as person_record_id
  from `acme-analytics`.`staging`.`stg_hubspot_deals` as d, UNNEST(JSON_VALUE_ARRAY(d.contact_crm_ids)) AS `contact_id`
  where not d.is_deleted
  union all
  select record_key, person_record_id
  from `acme-analytics`.`staging`.`stg_salesforce_opportunities`
  where not is_deleted and person_record_id is not null
  union all
  select r.deal_key, r.person_record_id
  from `acme-analytics`.`staging`.`stg_salesforce_opportunity_contacts` as r
  where not r.is_deleted
  union all
  select record_key, person_record_id
  from `acme-analytics`.`staging`.`stg_pipedrive_deals`
  where not is_deleted and person_record_id is not null
  union all
  select record_key, person_record_id
  from `acme-analytics`.`staging`.`stg_zoho_deals`
  where not is_deleted and person_record_id is not null
  union all
  select record_key, person_record_id
  from `acme-analytics`.`staging`.`stg_activecampaign_deals`
  where not is_deleted and person_record_id is not null
  union all
  select record_key, person_record_id
  from `acme-analytics`.`staging`.`stg_dynamics_opportunities`
  where not is_deleted and person_record_id is not null
) as links;
