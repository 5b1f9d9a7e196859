-- intermediate/int_identity_clusters.sql: first build (iterative)

CREATE OR REPLACE TABLE "staging"."int_identity_clusters" AS
-- Connected components of the match graph by label propagation: every record starts labelled with the
-- smallest id among itself and its neighbours; each round it takes the smallest label of its
-- neighbours and of its label's own record (pointer jumping, so a long chain converges in about
-- log2(length) rounds, not length rounds). Labels only ever decrease and every label is a record of
-- the component, so the fixed point labels each component with its smallest record id:
-- A ~email~ B ~phone~ C ends as one cluster even though A and C share nothing.
-- Only records with at least one edge are here; a record without edges is its own cluster.
-- best_rule is the strongest link the record has (it never changes between rounds).
--
-- Rounds only look at what moved (is_changed: the label dropped in the last round). A label that did
-- not move was already offered to the neighbours and to the records pointing at it when it last
-- moved, so offering only the moved ones gives each round the same labels as offering all of them,
-- and after the first rounds only a few thousand records move. A record labelled with its own id
-- after the seed offers nothing new: every neighbour's seed label is already at most that id.
select
  record_id,
  least(record_id, min(neighbor_id)) as cluster_id,
  min(rule) as best_rule,
  least(record_id, min(neighbor_id)) < record_id as is_changed
from "staging"."int_identity_edges"
group by record_id;

CREATE OR REPLACE TABLE "staging"."int_identity_clusters__tide_next" AS
with moved as (
  select record_id, cluster_id from "staging"."int_identity_clusters" where is_changed
),
offers as (
  -- A moved label, to the record's neighbours...
  select e.record_id, m.cluster_id as label
  from "staging"."int_identity_edges" as e
  join moved as m on m.record_id = e.neighbor_id
  union all
  -- ...to the records labelled with that record (pointer jumping)...
  select c.record_id, m.cluster_id
  from "staging"."int_identity_clusters" as c
  join moved as m on m.record_id = c.cluster_id
  union all
  -- ...and a record that moved takes its new label's label (pointer jumping).
  select m.record_id, j.cluster_id
  from moved as m
  join "staging"."int_identity_clusters" as j on j.record_id = m.cluster_id
),
best_offer as (
  select record_id, min(label) as label from offers group by record_id
)
select
  c.record_id,
  least(c.cluster_id, coalesce(b.label, c.cluster_id)) as cluster_id,
  c.best_rule,
  coalesce(b.label < c.cluster_id, false) as is_changed
from "staging"."int_identity_clusters" as c
left join best_offer as b on b.record_id = c.record_id;

SELECT COUNT(*) AS changed FROM (SELECT * FROM "staging"."int_identity_clusters__tide_next" EXCEPT SELECT * FROM "staging"."int_identity_clusters") AS d;

DROP TABLE IF EXISTS "staging"."int_identity_clusters";

ALTER TABLE "staging"."int_identity_clusters__tide_next" RENAME TO "int_identity_clusters";
