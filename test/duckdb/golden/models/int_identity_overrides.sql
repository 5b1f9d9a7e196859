-- intermediate/int_identity_overrides.sql: first build (table)

CREATE OR REPLACE TABLE "staging"."int_identity_overrides" AS
-- The user's corrections (identity_overrides.csv in the models folder, transform/README.md
-- "Corrections") as pairs of record ids. Each end is named by its CRM — a config source name or a CRM
-- kind — and its id; a pair whose record is not (or no longer) in the warehouse keeps a NULL id and
-- is reported by this model's data test, never silently dropped.
-- must_link pairs become edges (int_identity_edges); cannot_link pairs split clusters
-- (int_identity_splits).
with pairs as (
  select * from (SELECT CAST(NULL AS VARCHAR) AS "kind", CAST(NULL AS VARCHAR) AS "crm", CAST(NULL AS VARCHAR) AS "crm_id", CAST(NULL AS VARCHAR) AS "other_crm", CAST(NULL AS VARCHAR) AS "other_crm_id" LIMIT 0)
),
records as (
  -- Only the records a pair names (with no file, none: nothing else is read).
  select record_id, source_name, crm, crm_id
  from "staging"."int_person_records"
  where crm_id in (select crm_id from pairs union all select other_crm_id from pairs)
),
ends as (
  select p.kind, p.crm, p.crm_id, p.other_crm, p.other_crm_id, min(a.record_id) as record_id
  from pairs as p
  left join records as a on a.crm_id = p.crm_id and (a.source_name = p.crm or a.crm = p.crm)
  group by p.kind, p.crm, p.crm_id, p.other_crm, p.other_crm_id
)
select e.kind, e.crm, e.crm_id, e.other_crm, e.other_crm_id, e.record_id, min(b.record_id) as other_record_id
from ends as e
left join records as b on b.crm_id = e.other_crm_id and (b.source_name = e.other_crm or b.crm = e.other_crm)
group by e.kind, e.crm, e.crm_id, e.other_crm, e.other_crm_id, e.record_id;
