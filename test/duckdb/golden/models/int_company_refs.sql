-- intermediate/int_company_refs.sql: first build (table)

CREATE OR REPLACE TABLE "staging"."int_company_refs" AS
-- Every mention of a company, by a CRM company record or by a person record not linked to one, with
-- the company it resolves to. Companies unify by normalized domain; a mention without a domain
-- borrows the domain that its normalized name has everywhere else (when that name maps to exactly one
-- domain), and only then unifies by name. company_num is the hash_id of that key (company_id is its
-- text): stable while the key is.
with mentions as (
  select record_id, true as is_company, domain, name_key
  from "staging"."int_company_sources"
  union all
  select record_id, false, company_domain, company_name_key
  from "staging"."int_person_records"
  where company_record_id is null and (company_domain is not null or company_name_key is not null)
),
name_domains as (
  select name_key, min(domain) as domain
  from mentions
  where domain is not null and name_key is not null
  group by name_key
  having count(distinct domain) = 1
),
keyed as (
  select
    m.record_id,
    m.is_company,
    m.name_key,
    coalesce(m.domain, nd.domain) as domain,
    case
      when coalesce(m.domain, nd.domain) is not null then 'domain:' || coalesce(m.domain, nd.domain)
      else 'name:' || m.name_key
    end as company_key
  from mentions as m
  -- Equality only in ON: a predicate on one side would turn the hash join into a nested loop.
  left join name_domains as nd on nd.name_key = m.name_key
)
select record_id, is_company, company_key, CAST('0x' || substr(md5(company_key), 1, 15) AS BIGINT) as company_num
from keyed;
