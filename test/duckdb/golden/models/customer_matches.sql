-- analytics/customer_matches.sql: first build (view)

CREATE OR REPLACE VIEW "analytics"."customer_matches" AS
-- Why records are one customer: every link the identity rules made between two person records, once
-- per pair, with the rule's name and the evidence it matched on — the normalized email, phone (with
-- its extension), name key and company (its domain, or its normalized name) the two records
-- share. "Why is this one customer?" is one query:
--   select * from analytics.customer_matches where customer_id = '…'
-- crm_merge links name no evidence (the CRM merged them: see merged_into_id in customer_sources);
-- must_link links are the user's (identity_overrides.csv). A link a cannot_link override cut is kept
-- with cut_by_override = true: the two records are different customers despite it.
-- A view over the integer tables, so the full build pays nothing for it; evidence is read from the two
-- records, for the rule that linked them (the strongest, when several did).
with links as (
  select record_id, neighbor_id, rule
  from "staging"."int_identity_edges"
  where record_id < neighbor_id
),
evidence as (
  select
    l.rule,
    a.record_id,
    b.record_id as other_record_id,
    a.record_key,
    a.crm,
    a.crm_id,
    b.record_key as other_record_key,
    b.crm as other_crm,
    b.crm_id as other_crm_id,
    case
      when l.rule = 3 then
        case
          when a.email = b.email or strpos(';' || coalesce(b.alt_emails, '') || ';', ';' || a.email || ';') > 0 then a.email
          else b.email
        end
    end as email,
    case
      when l.rule in (4, 7) then a.phone || coalesce(' ext. ' || a.phone_ext, '')
    end as phone,
    case
      when l.rule in (5, 6, 7) then a.name_key
      when l.rule = 8 then a.name_key || ' ~ ' || b.name_key
    end as name,
    case
      when l.rule = 5 then a.company_domain
      when l.rule = 6 then a.company_name_key
      when l.rule = 8 then coalesce(a.company_domain, a.company_name_key)
    end as company
  from links as l
  join "staging"."int_person_records" as a on a.record_id = l.record_id
  join "staging"."int_person_records" as b on b.record_id = l.neighbor_id
)
select
  lower(lpad(hex(ma.customer_num), 15, '0')) as customer_id,
  e.record_key,
  e.crm,
  e.crm_id,
  e.other_record_key,
  e.other_crm,
  e.other_crm_id,
  (CASE e.rule WHEN 1 THEN 'crm_merge' WHEN 2 THEN 'must_link' WHEN 3 THEN 'email' WHEN 4 THEN 'phone' WHEN 5 THEN 'name_company_domain' WHEN 6 THEN 'name_company_name' WHEN 7 THEN 'name_phone' WHEN 8 THEN 'near_name' ELSE 'none' END) as rule,
  e.email,
  e.phone,
  e.name,
  e.company,
  ma.customer_num <> mb.customer_num as cut_by_override
from evidence as e
join "staging"."int_customer_map" as ma on ma.record_id = e.record_id
join "staging"."int_customer_map" as mb on mb.record_id = e.other_record_id;
