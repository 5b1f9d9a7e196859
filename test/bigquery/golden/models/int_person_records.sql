-- intermediate/int_person_records.sql: first build (view)

CREATE OR REPLACE VIEW `acme-analytics`.`staging`.`int_person_records` AS
-- Every CRM contact, lead and person in one shape: the nodes of identity resolution.
-- Live records, plus records their CRM merged away (is_merged, merged_into_id) so they can follow
-- their survivor. A person's company comes from the CRM company it is linked to (account,
-- organization, associated company) when there is one, else from its own website / work email.
-- A view: each model reading it scans only the columns it needs, and every join here is on integer
-- ids computed once in staging, so recomputing it is cheaper than writing a wide table.
select
  p.record_key,
  p.record_id,
  p.source_name,
  p.crm,
  p.object,
  p.crm_id,
  p.email_present,
  p.email,
  p.email_valid,
  p.email_is_role,
  p.email_key,
  p.alt_emails,
  p.phone,
  p.phone_ext,
  p.phone_key,
  p.first_name,
  p.last_name,
  p.first_key,
  p.last_key,
  p.name_suffix,
  p.name_key,
  p.job_title,
  coalesce(c.name, p.company_name) as company_name,
  coalesce(c.name_key, p.company_name_key) as company_name_key,
  coalesce(c.domain, p.company_domain) as company_domain,
  c.record_id as company_record_id,
  p.city,
  p.country,
  p.created_at,
  p.updated_at,
  m.winner_id is not null as is_merged,
  m.winner_id as merged_into_id
from `acme-analytics`.`staging`.`int_person_sources` as p
left join `acme-analytics`.`staging`.`int_crm_merges` as m on m.loser_id = p.record_id
left join `acme-analytics`.`staging`.`stg_hubspot_contact_companies` as hc on hc.record_id = p.record_id
left join `acme-analytics`.`staging`.`int_company_sources` as c on c.record_id = coalesce(p.company_record_id, hc.company_record_id)
where not p.is_deleted or m.winner_id is not null;
