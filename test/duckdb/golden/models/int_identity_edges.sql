-- intermediate/int_identity_edges.sql: first build (table)

CREATE OR REPLACE TABLE "staging"."int_identity_edges" AS
-- The match graph, on record ids. Deterministic keys: a valid, non-role email; an E.164 phone; the
-- full name together with the company domain, unless the records under that name carry two different
-- work emails at that company (namesakes, not one person). Records their CRM merged away keep their keys (an old
-- email of the same person still identifies them) and are linked to their survivor. Records sharing a
-- key are linked to the smallest record of that key (a star, not every pair: a key shared by n records
-- costs n edges, not n²). Edges are stored in both directions for the component search, once per
-- pair (two records sharing an email, a phone and a name are one edge); `rule` is the strongest link
-- between them: 1 crm_merge, 2 email, 3 phone, 4 name_company.
-- Keys are compared as integers: the email's hash_id from staging; phone and name+domain hashed here
-- with group_hash (only compared within this query, so the warehouse's cheapest hash will do).
with nodes as (
  select record_id, email, email_valid, email_key, phone, name_key, company_domain, merged_into_id
  from "staging"."int_person_records"
),
match_keys as (
  select record_id, 2 as rule, email_key as key_id, cast(null as BIGINT) as work_email
  from nodes where email_key is not null
  union all
  select record_id, 3, CAST(hash(phone) >> 1 AS BIGINT), null from nodes where phone is not null
  union all
  select
    record_id,
    4,
    CAST(hash(name_key || '@' || company_domain) >> 1 AS BIGINT),
    case when email_valid and NULLIF(split_part(email, '@', 2), '') = company_domain then email_key end
  from nodes where name_key is not null and company_domain is not null
),
anchors as (
  select rule, key_id, min(record_id) as anchor_id
  from match_keys
  group by rule, key_id
  -- Two different work emails at the company under one name are two people who share a name
  -- (min = max: at most one distinct email, and far cheaper than count(distinct)).
  having count(*) > 1 and coalesce(min(work_email) = max(work_email), true)
),
links as (
  select k.record_id, a.anchor_id as neighbor_id, k.rule
  from match_keys as k
  join anchors as a on a.rule = k.rule and a.key_id = k.key_id
  where k.record_id <> a.anchor_id
  union all
  select record_id, merged_into_id, 1 from nodes where merged_into_id is not null
),
pairs as (
  -- One row per linked pair whichever way it was found, with its strongest rule.
  select least(record_id, neighbor_id) as low_id, greatest(record_id, neighbor_id) as high_id, min(rule) as rule
  from links
  group by least(record_id, neighbor_id), greatest(record_id, neighbor_id)
)
select low_id as record_id, high_id as neighbor_id, rule from pairs
union all
select high_id, low_id, rule from pairs;
