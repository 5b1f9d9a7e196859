-- analytics/quality_metrics.sql: first build (table)

CREATE OR REPLACE TABLE "analytics"."quality_metrics" AS
-- How trustworthy each CRM object is, measured at this run. One row per source and object (the
-- object is the stream name). Definitions (rates are 0–1; NULL when they do not apply):
--   record_count                 live (not deleted) records
--   duplicate_rate_within_crm    share of records whose customer / company has another live record in
--                                the same CRM; records the CRM already merged (a converted lead) are not
--                                duplicates. Deals: NULL.
--   duplicate_rate_across_crms   share of records whose customer / company also has records in another CRM
--   required_field_completion    mean share of filled required fields (models.requiredFields[crm.object])
--   invalid_email_rate           among records with an email, the share whose email is not valid
--   record_freshness_seconds     run start minus the newest last-modified time
--   load_freshness_seconds       run start minus the last completed load of the stream (tide.loads)
--   api_error_rate               failed HTTP requests (no response, or status ≥ 400 including 429)
--                                over all requests of the source's latest run (tide.requests)
--   reverse_sync_failure_rate    rejected over attempted (written + rejected) pushes of the latest run
--                                of each sync writing to this object (tide.push_log); NULL before
--                                reverse ETL ever ran
with records as (
  -- One integer per entity: ids of both kinds are 60-bit hash_ids, so id * 2 + kind keeps them apart
  -- and the grouping below is on one number instead of a kind name and a number.
  select q.*, q.entity_id * 2 + case when q.entity_kind = 'company' then 1 else 0 end as entity_key
  from "staging"."int_quality_records" as q
),
entity_in_source as (
  select entity_key, source_name, count(*) as records
  from records
  where entity_id is not null and not is_merged
  group by entity_key, source_name
),
entity_spread as (
  select entity_key, count(*) as sources
  from entity_in_source
  group by entity_key
),
flagged as (
  select
    r.*,
    case when r.entity_id is null then null when not r.is_merged and es.records > 1 then 1 else 0 end as dup_within,
    case when r.entity_id is null then null when not r.is_merged and sp.sources > 1 then 1 else 0 end as dup_across
  from records as r
  left join entity_in_source as es on es.entity_key = r.entity_key and es.source_name = r.source_name
  left join entity_spread as sp on sp.entity_key = r.entity_key
),
per_object as (
  select
    source_name,
    crm,
    object,
    count(*) as record_count,
    avg(dup_within) as duplicate_rate_within_crm,
    avg(dup_across) as duplicate_rate_across_crms,
    avg(completion) as required_field_completion,
    (CAST(sum(case when email_present and not email_valid then 1 else 0 end) AS DOUBLE) / NULLIF(sum(case when email_present then 1 else 0 end), 0)) as invalid_email_rate,
    max(updated_at) as newest_record_at
  from flagged
  group by source_name, crm, object
),
last_loads as (
  select source, stream, max(completed_at) as last_load_at
  from (SELECT TRY_CAST("load_id" AS VARCHAR) AS "load_id", TRY_CAST("run_id" AS VARCHAR) AS "run_id", TRY_CAST("source" AS VARCHAR) AS "source", TRY_CAST("stream" AS VARCHAR) AS "stream", TRY_CAST("started_at" AS TIMESTAMPTZ) AS "started_at", TRY_CAST("completed_at" AS TIMESTAMPTZ) AS "completed_at", TRY_CAST("rows_staged" AS BIGINT) AS "rows_staged", TRY_CAST("rows_written" AS BIGINT) AS "rows_written", TRY_CAST("status" AS VARCHAR) AS "status" FROM "tide"."loads") as l
  where status = 'completed'
  group by source, stream
),
requests as (
  select * from (SELECT TRY_CAST("run_id" AS VARCHAR) AS "run_id", TRY_CAST("source" AS VARCHAR) AS "source", TRY_CAST("endpoint" AS VARCHAR) AS "endpoint", TRY_CAST("status" AS BIGINT) AS "status", TRY_CAST("count" AS BIGINT) AS "count", TRY_CAST("recorded_at" AS TIMESTAMPTZ) AS "recorded_at" FROM "tide"."requests") as q
),
latest_request_run as (
  select source, max(run_id) as run_id from requests group by source
),
api as (
  select
    q.source,
    sum(q.count) as api_requests,
    (CAST(sum(case when q.status = 0 or q.status >= 400 then q.count else 0 end) AS DOUBLE) / NULLIF(sum(q.count), 0)) as api_error_rate
  from requests as q
  join latest_request_run as lr on lr.source = q.source and lr.run_id = q.run_id
  group by q.source
),
pushes as (
  select * from (SELECT TRY_CAST("run_id" AS VARCHAR) AS "run_id", TRY_CAST("sync" AS VARCHAR) AS "sync", TRY_CAST("record_key" AS VARCHAR) AS "record_key", TRY_CAST("crm_id" AS VARCHAR) AS "crm_id", TRY_CAST("status" AS VARCHAR) AS "status", TRY_CAST("attempt" AS BIGINT) AS "attempt", TRY_CAST("logged_at" AS TIMESTAMPTZ) AS "logged_at" FROM "tide"."push_log") as p
),
latest_push_run as (
  select sync, max(run_id) as run_id from pushes group by sync
),
push_rates as (
  select
    t.source_name,
    t.object,
    (CAST(sum(case when p.status = 'rejected' then 1 else 0 end) AS DOUBLE) / NULLIF(sum(case when p.status in ('written', 'rejected') then 1 else 0 end), 0)) as reverse_sync_failure_rate
  from pushes as p
  join latest_push_run as lr on lr.sync = p.sync and lr.run_id = p.run_id
  join (SELECT 'scores_to_hubspot' AS sync, 'hubspot' AS source_name, 'contacts' AS object) as t on t.sync = p.sync
  group by t.source_name, t.object
)
select
  o.source_name,
  o.crm,
  o.object,
  o.record_count,
  o.duplicate_rate_within_crm,
  o.duplicate_rate_across_crms,
  o.required_field_completion,
  o.invalid_email_rate,
  o.newest_record_at,
  date_diff('second', o.newest_record_at, TIMESTAMPTZ '2024-06-01 00:00:00.000+00') as record_freshness_seconds,
  ll.last_load_at,
  date_diff('second', ll.last_load_at, TIMESTAMPTZ '2024-06-01 00:00:00.000+00') as load_freshness_seconds,
  a.api_requests,
  a.api_error_rate,
  pr.reverse_sync_failure_rate,
  'golden' as run_id,
  TIMESTAMPTZ '2024-06-01 00:00:00.000+00' as measured_at
from per_object as o
left join last_loads as ll on ll.source = o.source_name and ll.stream = o.object
left join api as a on a.source = o.source_name
left join push_rates as pr on pr.source_name = o.source_name and pr.object = o.object;
