-- analytics/customer_sources.sql: first build (view)

CREATE OR REPLACE VIEW "analytics"."customer_sources" AS
-- Every CRM contact, lead and person (live, or merged away by its CRM) with the customer it resolved
-- to and the strongest rule that linked it (the rules by name, strongest first: crm_merge, must_link,
-- email, phone, name_company_domain, name_company_name, name_phone, near_name; see
-- transform/macros/match-rules.ts); 'none' when the record matched nothing and is a customer on its
-- own. Why two records are one customer, edge by edge: customer_matches.
--
-- customer_id: every record has record_id = hash_id(record_key), the first 15 hex digits of
-- md5('source:object:id') as a number; a customer's id is the smallest record_id of its records,
-- written as those 15 hex digits. It depends only on which records form the cluster, not on run
-- order, timing or the warehouse (md5 is the same everywhere), so it stays the same from run to run
-- while the cluster's records stay the same. It changes only when the cluster does: a record with a
-- smaller id joins it, or its smallest record leaves it (deleted, or matched elsewhere after an edit).
-- A record a CRM merge created under a new id counts as the ids it replaced (int_customer_map), so
-- merging in the CRM keeps the customer's id; the merged-away records stay here, is_merged, with
-- merged_into_id (the survivor's record_id) and the same customer_id.
-- A view (person records joined with int_customer_map): models join the integer map directly.
select
  lower(lpad(hex(m.customer_num), 15, '0')) as customer_id,
  m.customer_num,
  p.record_key,
  p.record_id,
  p.source_name,
  p.crm,
  p.object,
  p.crm_id,
  (CASE m.best_rule WHEN 1 THEN 'crm_merge' WHEN 2 THEN 'must_link' WHEN 3 THEN 'email' WHEN 4 THEN 'phone' WHEN 5 THEN 'name_company_domain' WHEN 6 THEN 'name_company_name' WHEN 7 THEN 'name_phone' WHEN 8 THEN 'near_name' ELSE 'none' END) as match_rule,
  m.is_merged,
  m.merged_into_id,
  case when m.company_num is not null then lower(lpad(hex(m.company_num), 15, '0')) end as company_id,
  p.created_at,
  p.updated_at
from "staging"."int_person_records" as p
join "staging"."int_customer_map" as m on m.record_id = p.record_id;
