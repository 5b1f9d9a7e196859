{{ config(materialized='table') }}
-- The match graph, on record ids. Every rule is named (transform/macros/match-rules.ts, where their
-- order makes one stronger than the next) and stored as its number; a pair of records linked by
-- several rules keeps the strongest. The rules:
-- - crm_merge: a record the CRM merged away is linked to its survivor (int_crm_merges).
-- - must_link: a pair the user says is one person (int_identity_overrides).
-- - email: the same valid, non-role email, a record's other emails included.
-- - phone: the same E.164 phone and extension, when the number is personal. A number several names
--   use (two different canonical names: Bob and Robert Smith are one name) or a company's main
--   number is shared: it never links on its own, it only supports a name (name_phone).
-- - name_company_domain / name_company_name / name_phone: the same full name (generational suffix
--   included) at the same company domain, at the same company name (legal forms removed, for
--   companies known only by name), or on the same shared phone. These never fire when the records
--   carry conflicting evidence: two different work emails (at the company's domain), two different
--   personal phones, or two different company domains. Two people with one name at one company are
--   namesakes, not one person, so the whole name group is left unlinked.
-- - near_name (config models.identity.nearNames, off by default): a nickname (the nicknames() table)
--   or one edit in the first name, or one edit in the last name, at the same company, with the same
--   generational suffix and no conflicting evidence between the two records.
-- Records sharing a key are linked to the smallest record of that key (a star, not every pair: a key
-- shared by n records costs n edges, not n²); edges are stored in both directions for the component
-- search. Keys are compared as integers: email and phone as the hash_ids computed in staging, the
-- name keys hashed here with group_hash (only compared within this query).
with people as (
  select
    record_id,
    email,
    email_valid,
    email_key,
    alt_emails,
    phone,
    phone_ext,
    phone_key,
    first_key,
    last_key,
    name_suffix,
    name_key,
    company_domain,
    company_name_key,
    merged_into_id
  from {{ ref('int_person_records') }}
),
canonical_first as (
  -- A nickname of exactly one name stands for that name (bob → robert); any other name for itself.
  select nickname, min(name) as name
  from {{ nicknames() }} as n
  group by nickname
  having count(*) = 1
),
phone_names as (
  -- The names a phone number is used by, as their lowest and highest hash: two different ones (min <> max)
  -- is two people on one number.
  select
    p.phone_key,
    min({{ group_hash("coalesce(c.name, p.first_key) || ' ' || p.last_key") }}) as lo,
    max({{ group_hash("coalesce(c.name, p.first_key) || ' ' || p.last_key") }}) as hi
  from people as p
  left join canonical_first as c on c.nickname = p.first_key
  where p.phone_key is not null and p.first_key is not null and p.last_key is not null
  group by p.phone_key
),
shared_phones as (
  select phone_key
  from (
    select phone_key from phone_names where lo <> hi
    union all
    select phone_key from {{ ref('int_company_sources') }} where phone_key is not null
  ) as s
  group by phone_key
),
evidence as (
  -- What may contradict a name match: a personal phone, a work email (at the company's domain).
  select
    p.*,
    case when s.phone_key is null then p.phone_key end as personal_phone,
    s.phone_key as shared_phone,
    case when p.email_valid and {{ email_domain('p.email') }} = p.company_domain then p.email_key end as work_email,
    coalesce(p.company_domain, p.company_name_key) as company_block
  from people as p
  left join shared_phones as s on s.phone_key = p.phone_key
),
match_keys as (
  select
    record_id,
    {{ match_rule('email') }} as rule,
    email_key as key_id,
    cast(null as {{ sql_type('integer') }}) as work_email,
    cast(null as {{ sql_type('integer') }}) as personal_phone,
    cast(null as {{ sql_type('string') }}) as domain
  from evidence
  where email_key is not null
  union all
  select e.record_id, {{ match_rule('email') }}, {{ hash_id('alt_email') }}, null, null, null
  from evidence as e, {{ unnest_split('e.alt_emails', ';', 'alt_email') }}
  where e.alt_emails is not null and {{ email_is_valid('alt_email') }} and not {{ is_role_inbox('alt_email') }}
  union all
  select record_id, {{ match_rule('phone') }}, personal_phone, null, null, null
  from evidence
  where personal_phone is not null
  union all
  select
    record_id,
    {{ match_rule('name_company_domain') }},
    {{ group_hash("name_key || '@' || company_domain") }},
    work_email,
    personal_phone,
    company_domain
  from evidence
  where name_key is not null and company_domain is not null
  union all
  select
    record_id,
    {{ match_rule('name_company_name') }},
    {{ group_hash("name_key || '|' || company_name_key") }},
    work_email,
    personal_phone,
    company_domain
  from evidence
  where name_key is not null and company_name_key is not null
  union all
  select
    record_id,
    {{ match_rule('name_phone') }},
    {{ group_hash("name_key || '#' || phone || coalesce(';ext=' || phone_ext, '')") }},
    work_email,
    personal_phone,
    company_domain
  from evidence
  where name_key is not null and shared_phone is not null
),
anchors as (
  select rule, key_id, min(record_id) as anchor_id
  from match_keys
  group by rule, key_id
  -- Conflicting evidence (NULL for the email and phone rules, so they always pass): min = max is at
  -- most one distinct value, far cheaper than count(distinct).
  having count(*) > 1
    and coalesce(min(work_email) = max(work_email), true)
    and coalesce(min(personal_phone) = max(personal_phone), true)
    and coalesce(min(domain) = max(domain), true)
),
nickname_pairs as (
  select nickname as a, name as b from {{ nicknames() }} as n
  union all
  select name, nickname from {{ nicknames() }} as n
),
near_candidates as (
  -- Same company and last name, another first name.
  select a.record_id as a_id, b.record_id as b_id
  from evidence as a
  join evidence as b on b.company_block = a.company_block and b.last_key = a.last_key
  left join canonical_first as ca on ca.nickname = a.first_key
  left join canonical_first as cb on cb.nickname = b.first_key
  left join nickname_pairs as np on np.a = a.first_key and np.b = b.first_key
  where {{ match_rule_enabled('near_name') }}
    and a.record_id < b.record_id
    and a.first_key <> b.first_key
    and (
      coalesce(ca.name, a.first_key) = coalesce(cb.name, b.first_key)
      or np.a is not null
      or (
        length(a.first_key) >= 4 and length(b.first_key) >= 4
        and substr(a.first_key, 1, 1) = substr(b.first_key, 1, 1)
        and {{ edit_distance('a.first_key', 'b.first_key') }} <= 1
      )
    )
    and coalesce(a.name_suffix, '') = coalesce(b.name_suffix, '')
  union all
  -- Same company and first name, a last name one edit away.
  select a.record_id, b.record_id
  from evidence as a
  join evidence as b on b.company_block = a.company_block and b.first_key = a.first_key
  where {{ match_rule_enabled('near_name') }}
    and a.record_id < b.record_id
    and a.last_key <> b.last_key
    and length(a.last_key) >= 5 and length(b.last_key) >= 5
    and substr(a.last_key, 1, 1) = substr(b.last_key, 1, 1)
    and {{ edit_distance('a.last_key', 'b.last_key') }} <= 1
    and coalesce(a.name_suffix, '') = coalesce(b.name_suffix, '')
),
near_pairs as (
  select c.a_id, c.b_id
  from near_candidates as c
  join evidence as a on a.record_id = c.a_id
  join evidence as b on b.record_id = c.b_id
  where coalesce(a.personal_phone = b.personal_phone, true)
    and coalesce(a.work_email = b.work_email, true)
    and coalesce(a.company_domain = b.company_domain, true)
),
links as (
  select k.record_id, a.anchor_id as neighbor_id, k.rule
  from match_keys as k
  join anchors as a on a.rule = k.rule and a.key_id = k.key_id
  where k.record_id <> a.anchor_id
  union all
  select record_id, merged_into_id, {{ match_rule('crm_merge') }} from people where merged_into_id is not null
  union all
  select record_id, other_record_id, {{ match_rule('must_link') }}
  from {{ ref('int_identity_overrides') }}
  where kind = 'must_link' and record_id is not null and other_record_id is not null
    and record_id <> other_record_id
  union all
  select a_id, b_id, {{ match_rule('near_name') }} from near_pairs
),
pairs as (
  -- One row per linked pair whichever way it was found, with its strongest rule.
  select least(record_id, neighbor_id) as low_id, greatest(record_id, neighbor_id) as high_id, min(rule) as rule
  from links
  group by least(record_id, neighbor_id), greatest(record_id, neighbor_id)
)
select low_id as record_id, high_id as neighbor_id, rule from pairs
union all
select high_id, low_id, rule from pairs
