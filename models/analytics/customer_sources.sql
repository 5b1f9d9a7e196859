{{ config(materialized='table') }}
-- Every CRM contact, lead and person (live, or merged away by its CRM) with the customer it resolved
-- to and the strongest rule that linked it: crm_merge > email > phone > name_company; 'none' when the
-- record matched nothing and is a customer on its own.
--
-- customer_id: every record has record_id = hash_id(record_key), the first 15 hex digits of
-- md5('source:object:id') as a number; a customer's id is the smallest record_id of its records,
-- written as those 15 hex digits. It depends only on which records form the cluster, not on run
-- order, timing or the warehouse (md5 is the same everywhere), so it stays the same from run to run
-- while the cluster's records stay the same. It changes only when the cluster does: a record with a
-- smaller id joins it, or its smallest record leaves it (deleted, or matched elsewhere after an edit).
with rules as (
  select record_id, min(rule) as best_rule
  from {{ ref('int_identity_edges') }}
  group by record_id
),
resolved as (
  select
    coalesce(c.cluster_id, p.record_id) as customer_num,
    p.*,
    r.best_rule,
    coalesce(linked.company_key, own.company_key) as company_key,
    coalesce(linked.company_num, own.company_num) as company_num,
    coalesce(linked.company_id, own.company_id) as company_id
  from {{ ref('int_person_records') }} as p
  left join {{ ref('int_identity_clusters') }} as c on c.record_id = p.record_id
  left join rules as r on r.record_id = p.record_id
  left join {{ ref('int_company_refs') }} as linked on linked.record_id = p.company_record_id
  left join {{ ref('int_company_refs') }} as own on own.record_id = p.record_id
)
select
  {{ id_text('customer_num') }} as customer_id,
  customer_num,
  record_key,
  record_id,
  source_name,
  crm,
  object,
  crm_id,
  case best_rule when 1 then 'crm_merge' when 2 then 'email' when 3 then 'phone' when 4 then 'name_company' else 'none' end as match_rule,
  is_merged,
  merged_into_id,
  email,
  email_valid,
  phone,
  first_name,
  last_name,
  job_title,
  company_name,
  company_key,
  company_num,
  company_id,
  city,
  country,
  created_at,
  updated_at
from resolved
