{{ config(materialized='view') }}
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
  {{ id_text('m.customer_num') }} as customer_id,
  m.customer_num,
  p.record_key,
  p.record_id,
  p.source_name,
  p.crm,
  p.object,
  p.crm_id,
  {{ match_rule_name('m.best_rule') }} as match_rule,
  m.is_merged,
  m.merged_into_id,
  case when m.company_num is not null then {{ id_text('m.company_num') }} end as company_id,
  p.created_at,
  p.updated_at
from {{ ref('int_person_records') }} as p
join {{ ref('int_customer_map') }} as m on m.record_id = p.record_id
