{{ config(materialized='table') }}
-- How trustworthy each CRM object is, measured at this run: one row per source and object (the
-- object is the stream name), plus one row per kind of entity across all CRMs (source_name and crm
-- 'all', object 'people' or 'companies'). Every column's definition is in quality_metrics.json (and
-- so in the warehouse's column comments and `tide docs`). Rates are decimals rounded to 4 places,
-- NULL where they do not apply.
--
-- "Customer" below means the entity a record resolved to: the unified customer for people records,
-- the unified company for company records (deals have none). Records merged away by their own CRM
-- (a converted Salesforce lead, a HubSpot contact merged into another) are the CRM's bookkeeping, not
-- duplicates anyone has to fix: they count in record_count but not in the duplicate and overlap rates.
with records as (
  -- One integer per entity: ids of both kinds are 60-bit hash_ids, so id * 2 + kind keeps them apart
  -- and the grouping below is on one number instead of a kind name and a number.
  select
    q.*,
    q.entity_id * 2 + case when q.entity_kind = 'company' then 1 else 0 end as entity_key,
    q.entity_id is not null and not q.is_merged as counted
  from {{ ref('int_quality_records') }} as q
),
entity_objects as (
  -- Each entity once per source and object it has a live record of its own in: counting these rows
  -- counts distinct entities, without a count(distinct) over every record.
  select source_name, crm, object, entity_kind, entity_key
  from records
  where counted
  group by source_name, crm, object, entity_kind, entity_key
),
entities as (
  -- Each entity once; shared when it has live records in more than one source (CRM account).
  select entity_key, max(entity_kind) as entity_kind, coalesce(min(source_name) <> max(source_name), false) as shared
  from entity_objects
  group by entity_key
),
object_entities as (
  select o.source_name, o.crm, o.object, count(*) as distinct_entities, sum(case when e.shared then 1 else 0 end) as shared_entities
  from entity_objects as o
  join entities as e on e.entity_key = o.entity_key
  group by o.source_name, o.crm, o.object
),
kind_entities as (
  select entity_kind, count(*) as distinct_entities, sum(case when shared then 1 else 0 end) as shared_entities
  from entities
  group by entity_kind
),
object_measures as (
  -- The per-record measures once per source and object; the rows for all CRMs add these up (every
  -- object holds one kind of entity), so the records are read once. The completion average is kept as
  -- its sum and count for that.
  select
    source_name,
    crm,
    object,
    max(entity_kind) as entity_kind,
    count(*) as record_count,
    sum(case when counted then 1 else 0 end) as counted_records,
    sum(completion) as completion_sum,
    count(completion) as completion_count,
    sum(case when email_present then 1 else 0 end) as emails,
    sum(case when email_present and not email_valid then 1 else 0 end) as invalid_emails,
    max(updated_at) as newest_record_at
  from records
  group by source_name, crm, object
),
-- The same measures, once per source and object and once per entity kind over all CRMs (the second
-- branch lists object_measures' columns in its order).
grouped as (
  select
    m.*,
    coalesce(e.distinct_entities, 0) as distinct_entities,
    coalesce(e.shared_entities, 0) as shared_entities
  from object_measures as m
  left join object_entities as e on e.source_name = m.source_name and e.crm = m.crm and e.object = m.object
  union all
  select
    'all',
    'all',
    case when m.entity_kind = 'company' then 'companies' else 'people' end,
    m.entity_kind,
    -- A count, as count(*) types it (a DuckDB sum of integers is wider).
    cast(sum(m.record_count) as {{ sql_type('integer') }}),
    sum(m.counted_records),
    sum(m.completion_sum),
    sum(m.completion_count),
    sum(m.emails),
    sum(m.invalid_emails),
    max(m.newest_record_at),
    coalesce(max(e.distinct_entities), 0),
    coalesce(max(e.shared_entities), 0)
  from object_measures as m
  left join kind_entities as e on e.entity_kind = m.entity_kind
  where m.entity_kind <> 'deal'
  group by m.entity_kind
),
per_object as (
  select
    source_name,
    crm,
    object,
    record_count,
    case when entity_kind <> 'deal' then round({{ safe_divide('counted_records - distinct_entities', 'counted_records') }}, 4) end as duplicate_rate,
    case when entity_kind <> 'deal' then round({{ safe_divide('shared_entities', 'distinct_entities') }}, 4) end as crm_overlap_rate,
    round({{ safe_divide('completion_sum', 'completion_count') }}, 4) as required_field_completion,
    round({{ safe_divide('invalid_emails', 'emails') }}, 4) as invalid_email_rate,
    newest_record_at
  from grouped
),
last_loads as (
  select source, stream, max(completed_at) as last_load_at
  from {{ source('tide', 'loads') }} as l
  where status = 'completed'
  group by source, stream
),
requests as (
  select * from {{ source('tide', 'requests') }} as q
),
latest_request_run as (
  select source, max(run_id) as run_id from requests group by source
),
api as (
  select
    q.source,
    sum(q.count) as api_requests,
    {{ safe_divide('sum(case when q.status = 0 or q.status >= 400 then q.count else 0 end)', 'sum(q.count)') }} as api_error_rate
  from requests as q
  join latest_request_run as lr on lr.source = q.source and lr.run_id = q.run_id
  group by q.source
),
pushes as (
  select * from {{ source('tide', 'push_log') }} as p
),
latest_push_run as (
  select sync, max(run_id) as run_id from pushes group by sync
),
push_rates as (
  select
    t.source_name,
    t.object,
    {{ safe_divide("sum(case when p.status = 'rejected' then 1 else 0 end)", "sum(case when p.status in ('written', 'rejected') then 1 else 0 end)") }} as reverse_sync_failure_rate
  from pushes as p
  join latest_push_run as lr on lr.sync = p.sync and lr.run_id = p.run_id
  join {{ sync_targets() }} as t on t.sync = p.sync
  group by t.source_name, t.object
)
select
  o.source_name,
  o.crm,
  o.object,
  o.record_count,
  o.duplicate_rate,
  o.crm_overlap_rate,
  o.required_field_completion,
  o.invalid_email_rate,
  o.newest_record_at,
  round({{ seconds_between('o.newest_record_at', run_started_at()) }} / 3600.0, 1) as record_freshness_hours,
  ll.last_load_at,
  round({{ seconds_between('ll.last_load_at', run_started_at()) }} / 3600.0, 1) as load_freshness_hours,
  a.api_requests,
  round(a.api_error_rate, 4) as api_error_rate,
  round(pr.reverse_sync_failure_rate, 4) as reverse_sync_failure_rate,
  {{ run_id() }} as run_id,
  {{ run_started_at() }} as measured_at
from per_object as o
left join last_loads as ll on ll.source = o.source_name and ll.stream = o.object
left join api as a on a.source = o.source_name
left join push_rates as pr on pr.source_name = o.source_name and pr.object = o.object
