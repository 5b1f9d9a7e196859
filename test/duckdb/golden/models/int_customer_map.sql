-- intermediate/int_customer_map.sql: first build (table)

CREATE OR REPLACE TABLE "staging"."int_customer_map" AS
-- Every person record's customer, the strongest rule that linked it, and its company. Integers only:
-- it is joined by every model that needs "which customer is this record", and narrow tables are
-- cheap to write.
-- customer_num is the smallest record id of the record's cluster (int_identity_clusters), or of its
-- part when a cannot_link split the cluster (int_identity_splits), or its own id when nothing matched
-- it. One exception keeps a CRM merge from renaming the customer: a record the CRM created by merging
-- others under a new id (HubSpot; int_crm_merges.from_list) counts as the smallest of the ids it
-- replaced (one level of earlier merges included), never as its own new id.
with replaced as (
  select winner_id, loser_id from "staging"."int_crm_merges" where from_list
),
lineage as (
  select r.winner_id as record_id, min(coalesce(earlier.anchor_id, r.loser_id)) as anchor_id
  from replaced as r
  left join (
    select winner_id, min(loser_id) as anchor_id from replaced group by winner_id
  ) as earlier on earlier.winner_id = r.loser_id
  group by r.winner_id
),
parts as (
  select record_id, min(record_id) over (partition by cluster_id, seed_id) as part_id
  from "staging"."int_identity_splits"
),
grouped as (
  -- Every record with an edge, in its final cluster.
  select c.record_id, coalesce(q.part_id, c.cluster_id) as cluster_id, c.best_rule, q.part_id is not null as is_split
  from "staging"."int_identity_clusters" as c
  left join parts as q on q.record_id = c.record_id
),
renumbered as (
  select g.cluster_id, min(coalesce(l.anchor_id, g.record_id)) as customer_num
  from grouped as g
  join (
    select g2.cluster_id from grouped as g2 join lineage as l2 on l2.record_id = g2.record_id group by g2.cluster_id
  ) as affected on affected.cluster_id = g.cluster_id
  left join lineage as l on l.record_id = g.record_id
  group by g.cluster_id
),
split_rules as (
  -- A split record's strongest link within its own part (the links that were cut no longer count).
  select q.record_id, min(e.rule) as best_rule
  from parts as q
  join "staging"."int_identity_edges" as e on e.record_id = q.record_id
  join parts as n on n.record_id = e.neighbor_id and n.part_id = q.part_id
  group by q.record_id
)
select
  p.record_id,
  coalesce(r.customer_num, g.cluster_id, l.anchor_id, p.record_id) as customer_num,
  case when g.is_split then sr.best_rule else g.best_rule end as best_rule,
  p.is_merged,
  p.merged_into_id,
  c.company_num
from "staging"."int_person_records" as p
left join grouped as g on g.record_id = p.record_id
left join renumbered as r on r.cluster_id = g.cluster_id
left join lineage as l on l.record_id = p.record_id
left join split_rules as sr on sr.record_id = p.record_id
-- A person linked to a CRM company takes that company's mention; any other person its own.
left join "staging"."int_company_refs" as c on c.record_id = coalesce(p.company_record_id, p.record_id);
