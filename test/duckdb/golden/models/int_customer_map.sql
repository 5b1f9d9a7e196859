-- intermediate/int_customer_map.sql: first build (table)

CREATE OR REPLACE TABLE "staging"."int_customer_map" AS
-- Every person record's customer (its cluster's smallest record id, or its own id when nothing
-- matched it), the strongest rule that linked it, and its company. Integers only: it is joined by
-- every model that needs "which customer is this record", and narrow tables are cheap to write.
select
  p.record_id,
  coalesce(c.cluster_id, p.record_id) as customer_num,
  c.best_rule,
  p.is_merged,
  p.merged_into_id,
  r.company_num
from "staging"."int_person_records" as p
left join "staging"."int_identity_clusters" as c on c.record_id = p.record_id
-- A person linked to a CRM company takes that company's mention; any other person its own.
left join "staging"."int_company_refs" as r on r.record_id = coalesce(p.company_record_id, p.record_id);
