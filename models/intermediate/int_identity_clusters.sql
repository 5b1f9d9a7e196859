{{ config(materialized='iterative', max_iterations=100) }}
-- Connected components of the match graph by label propagation: every record starts labelled with the
-- smallest id among itself and its neighbours; each round it takes the smallest label of its
-- neighbours and of its label's own record (pointer jumping, so a long chain converges in about
-- log2(length) rounds, not length rounds). Labels only ever decrease and every label is a record of
-- the component, so the fixed point labels each component with its smallest record id:
-- A ~email~ B ~phone~ C ends as one cluster even though A and C share nothing.
-- Only records with at least one edge are here; a record without edges is its own cluster.
-- best_rule is the strongest link the record has (it never changes between rounds).
select record_id, least(record_id, min(neighbor_id)) as cluster_id, min(rule) as best_rule
from {{ ref('int_identity_edges') }}
group by record_id

{{ repeat_until_stable() }}

with neighbour_label as (
  select e.record_id, min(n.cluster_id) as cluster_id
  from {{ ref('int_identity_edges') }} as e
  join {{ this }} as n on n.record_id = e.neighbor_id
  group by e.record_id
)
select
  c.record_id,
  least(c.cluster_id, coalesce(nl.cluster_id, c.cluster_id), coalesce(j.cluster_id, c.cluster_id)) as cluster_id,
  c.best_rule
from {{ this }} as c
left join neighbour_label as nl on nl.record_id = c.record_id
left join {{ this }} as j on j.record_id = c.cluster_id
