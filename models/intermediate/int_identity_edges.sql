{{ config(materialized='table') }}
-- The match graph, on record ids. Deterministic keys: a valid, non-role email; an E.164 phone; the
-- full name together with the company domain, unless the records under that name carry two different
-- work emails at that company (namesakes, not one person). Records their CRM merged away keep their keys (an old
-- email of the same person still identifies them) and are linked to their survivor. Records sharing a
-- key are linked to the smallest record of that key (a star, not every pair: a key shared by n records
-- costs n edges, not n²). Edges are stored in both directions for the component search, once per
-- pair (two records sharing an email, a phone and a name are one edge); `rule` is the strongest link
-- between them: 1 crm_merge, 2 email, 3 phone, 4 name_company.
-- Keys are compared as hash_ids (60 bits of md5): text keys would make this the slowest model.
with nodes as (
  select record_id, email, email_valid, email_key, phone, name_key, company_domain, merged_into_id
  from {{ ref('int_person_records') }}
),
match_keys as (
  select record_id, 2 as rule, email_key as key_id, cast(null as {{ sql_type('integer') }}) as work_email
  from nodes where email_key is not null
  union all
  select record_id, 3, {{ hash_id('phone') }}, null from nodes where phone is not null
  union all
  select
    record_id,
    4,
    {{ hash_id("name_key || '@' || company_domain") }},
    case when email_valid and {{ email_domain('email') }} = company_domain then email_key end
  from nodes where name_key is not null and company_domain is not null
),
anchors as (
  select rule, key_id, min(record_id) as anchor_id
  from match_keys
  group by rule, key_id
  -- Two different work emails at the company under one name are two people who share a name.
  having count(*) > 1 and count(distinct work_email) <= 1
),
links as (
  select k.record_id, a.anchor_id as neighbor_id, k.rule
  from match_keys as k
  join anchors as a on a.rule = k.rule and a.key_id = k.key_id
  where k.record_id <> a.anchor_id
  union all
  select record_id, merged_into_id, 1 from nodes where merged_into_id is not null
),
both_ways as (
  select record_id, neighbor_id, rule from links
  union all
  select neighbor_id, record_id, rule from links
)
select record_id, neighbor_id, min(rule) as rule
from both_ways
group by record_id, neighbor_id
