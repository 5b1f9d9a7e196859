-- intermediate/int_identity_splits.sql: first build (iterative)

CREATE OR REPLACE TABLE "staging"."int_identity_splits" AS
-- cannot_link pairs (identity_overrides.csv) split the clusters the rules made: a cannot_link wins over
-- every rule. In a cluster holding both records of a cannot_link pair, each record named by such a
-- pair starts its own part, and every other record of the cluster joins the nearest of them: the
-- fewest links away, where crm_merge and must_link links cost nothing (so the CRM's own merges and
-- the user's must_link pairs stay together), a tie going to the smaller record id. Deterministic, and
-- the rest of the cluster stays whole around each side. Records named by a cannot_link are always in
-- different parts, even when a must_link joins two of them (cannot_link wins).
-- Only clusters holding a cannot_link pair are here: usually none, and then this is one empty round.
with cannot as (
  select o.record_id, o.other_record_id
  from "staging"."int_identity_overrides" as o
  where o.kind = 'cannot_link' and o.record_id is not null and o.other_record_id is not null
),
violated as (
  select a.cluster_id, x.record_id, x.other_record_id
  from cannot as x
  join "staging"."int_identity_clusters" as a on a.record_id = x.record_id
  join "staging"."int_identity_clusters" as b on b.record_id = x.other_record_id
  where a.cluster_id = b.cluster_id
),
seeds as (
  select record_id from violated
  union all
  select other_record_id from violated
),
split_clusters as (
  select cluster_id from violated group by cluster_id
)
select
  c.record_id,
  c.cluster_id,
  case when s.record_id is not null then c.record_id end as seed_id,
  case when s.record_id is not null then 0 end as distance,
  s.record_id is not null as is_seed
from "staging"."int_identity_clusters" as c
join split_clusters as v on v.cluster_id = c.cluster_id
left join (select record_id from seeds group by record_id) as s on s.record_id = c.record_id;

CREATE OR REPLACE TABLE "staging"."int_identity_splits__tide_next" AS
with offers as (
  -- Every record next to one that has a part offers it that part, one link further away.
  select
    e.record_id,
    n.seed_id,
    n.distance + case when e.rule <= 2 then 0 else 1 end as distance
  from "staging"."int_identity_edges" as e
  join "staging"."int_identity_splits" as n on n.record_id = e.neighbor_id
  where n.seed_id is not null
),
nearest as (
  select record_id, min(distance) as distance from offers group by record_id
),
best as (
  select o.record_id, o.distance, min(o.seed_id) as seed_id
  from offers as o
  join nearest as n on n.record_id = o.record_id and n.distance = o.distance
  group by o.record_id, o.distance
)
select
  t.record_id,
  t.cluster_id,
  case
    when t.is_seed or b.record_id is null then t.seed_id
    when t.distance is null or b.distance < t.distance or (b.distance = t.distance and b.seed_id < t.seed_id) then b.seed_id
    else t.seed_id
  end as seed_id,
  case
    when t.is_seed or b.record_id is null then t.distance
    when t.distance is null or b.distance < t.distance then b.distance
    else t.distance
  end as distance,
  t.is_seed
from "staging"."int_identity_splits" as t
left join best as b on b.record_id = t.record_id;

SELECT COUNT(*) AS changed FROM (SELECT * FROM "staging"."int_identity_splits__tide_next" EXCEPT SELECT * FROM "staging"."int_identity_splits") AS d;

DROP TABLE IF EXISTS "staging"."int_identity_splits";

ALTER TABLE "staging"."int_identity_splits__tide_next" RENAME TO "int_identity_splits";
